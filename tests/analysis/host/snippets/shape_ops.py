# numpy shape functions between loading and training: joins, transposes, reductions, indexing.
import keras
import numpy as np
from keras import layers

a = np.zeros((4, 3))
b = np.ones((2, 3))
cat0 = np.concatenate([a, b])
cat1 = np.concatenate((a, a), axis=1)
stacked = np.stack([a, a, a])
stacked_last = np.stack([a, a], axis=-1)
vs = np.vstack([a, b])
hs = np.hstack([a, a])
vs1 = np.vstack([np.arange(3), np.arange(3)])
hs1 = np.hstack([np.arange(3), np.arange(4)])
t = a.T
tt = np.transpose(np.zeros((2, 3, 5)), (2, 0, 1))
tt2 = np.zeros((2, 3, 5)).transpose(1, 0, 2)
sq = np.squeeze(np.zeros((1, 3, 1)))
sq_axis = np.zeros((1, 3, 1)).squeeze(axis=0)
ex = np.expand_dims(a, axis=0)
ex2 = np.expand_dims(a, axis=(0, 3))
r = np.reshape(np.arange(24), (2, 3, -1))
r2 = np.arange(24).reshape(4, -1)
r3 = np.arange(24).reshape((-1,))
s = a.sum(axis=0)
m = np.mean(stacked, axis=(1, 2))
mx = np.max(stacked, axis=1, keepdims=True)
mn = stacked.min(axis=-1)
total = np.sum(stacked)
col = a[:, 1]
cols = a[:, 1:]
row = a[2]
newax = a[None, :, None]
ell = stacked[..., 0]
ell2 = stacked[1, ...]
stepped = np.arange(10)[::3]
neg = a[-2:]
bc = a + np.ones((3,))
bc2 = np.zeros((4, 1)) * np.ones((1, 5))
bc3 = np.zeros((2, 1, 3)) - np.ones((4, 1))
mm = np.zeros((4, 3)) @ np.zeros((3, 7))
scalar_mul = 2 * a
pw = a ** 2
neg_a = -a
f32 = a.astype(np.float32)
u8 = a.astype("uint8")
ar = np.arange(2, 11, 3)
lin = np.linspace(0, 1, 11)
eye = np.eye(4)
eye2 = np.eye(3, 5)
full = np.full((2, 2), 7)
zl = np.zeros_like(stacked)
ol = np.ones_like(a, dtype="int32")
emp = np.empty((3, 0))
lit = np.array([[1, 2, 3], [4, 5, 6]])
lit_f = np.asarray([0.5, 1.5])
nd = stacked.ndim
sz = stacked.size
n = len(stacked)
flat = stacked.flatten()
rav = np.ravel(stacked)
sw = np.zeros((2, 3, 4)).swapaxes(0, 2)
clipped = np.clip(a, 0, 1)
roots = np.sqrt(stacked)
am = np.argmax(stacked, axis=1)
padded = np.pad(np.zeros((4, 4)), 2)
padded2 = np.pad(np.zeros((4, 4, 3)), ((1, 1), (2, 2), (0, 0)))
where = np.where(a > 0, a, 0)  # unknown
mask = a > 0.5  # unknown

rates = [float(rt) for rt in np.linspace(0.1, 0.3, 3)]
inputs = keras.Input((16,))
h = inputs
for width in np.arange(8, 33, 8):
    h = layers.Dense(int(width))(h)
for rt in rates:
    h = layers.Dropout(rt)(h)
model = keras.Model(inputs, h)
res = model(np.zeros((5, 16)))
