"""tf.nn on eager tensors, including the TF1-era conv2d/max_pool snippet written for TF2."""
import tensorflow as tf

# The classic snippet: a 5x5x3 image and a 3x3x3x7 filter.
input = tf.random.normal([1, 5, 5, 3])
filter = tf.Variable(tf.random.normal([3, 3, 3, 7]))
op = tf.nn.conv2d(input, filter, strides=[1, 2, 2, 1], padding='SAME')
op2 = tf.nn.conv2d(input, filter, strides=[1, 1, 1, 1], padding='VALID')
pool = tf.nn.max_pool(input, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='VALID')
pool2 = tf.nn.max_pool(op, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')

images = tf.random.normal([2, 32, 32, 3])
w1 = tf.Variable(tf.random.truncated_normal([5, 5, 3, 16], stddev=0.1))
b1 = tf.Variable(tf.zeros([16]))
h1 = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(images, w1, strides=1, padding="SAME"), b1))
p1 = tf.nn.avg_pool2d(h1, ksize=3, strides=2, padding="VALID")
dw = tf.Variable(tf.random.normal([3, 3, 16, 2]))
d1 = tf.nn.depthwise_conv2d(p1, dw, strides=[1, 1, 1, 1], padding="SAME")
at = tf.nn.atrous_conv2d(d1, tf.random.normal([3, 3, 32, 8]), rate=2, padding="VALID")
up = tf.nn.conv2d_transpose(at, tf.random.normal([3, 3, 4, 8]), output_shape=[2, 22, 22, 4],
                            strides=2, padding="SAME")
s2d = tf.nn.space_to_depth(up, 2)

signal = tf.random.normal([4, 50, 6])
c1 = tf.nn.conv1d(signal, tf.random.normal([5, 6, 10]), stride=2, padding="VALID")
m1 = tf.nn.max_pool1d(c1, ksize=3, strides=3, padding="SAME")

volume = tf.random.normal([1, 8, 16, 16, 2])
c3 = tf.nn.conv3d(volume, tf.random.normal([3, 3, 3, 2, 4]), strides=[1, 1, 2, 2, 1],
                  padding="SAME")
m3 = tf.nn.max_pool3d(c3, ksize=2, strides=2, padding="VALID")

flat = tf.reshape(m3, [1, -1])
logits = tf.matmul(flat, tf.random.normal([256, 10]))
probs = tf.nn.softmax(logits)
