"""Recurrent layers over user-written cells: a minimal cell with state_size/output_size, a cell
with two states, stacked cells, return_sequences / return_state, and built-in cells mixed in.
"""
import keras
from keras import layers, ops


class MinimalRNNCell(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), name="recurrent")

    def call(self, inputs, states):
        prev_output = states[0]
        h = ops.matmul(inputs, self.kernel)
        output = h + ops.matmul(prev_output, self.recurrent_kernel)
        return output, [output]


class PeepholeCell(layers.Layer):
    """Two states (hidden and carry) and an output narrower than the state."""

    def __init__(self, units, out_units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.out_units = out_units
        self.state_size = [units, units]
        self.output_size = out_units

    def build(self, input_shape):
        dim = input_shape[-1]
        self.w = self.add_weight(shape=(dim, 4 * self.units))
        self.u = self.add_weight(shape=(self.units, 4 * self.units))
        self.proj = self.add_weight(shape=(self.units, self.out_units))

    def call(self, inputs, states):
        h, c = states
        z = ops.matmul(inputs, self.w) + ops.matmul(h, self.u)
        i, f, o, g = ops.split(z, 4, axis=-1)
        c = ops.sigmoid(f) * c + ops.sigmoid(i) * ops.tanh(g)
        h = ops.sigmoid(o) * ops.tanh(c)
        return ops.matmul(h, self.proj), [h, c]


tokens = keras.Input(shape=(20,), dtype="int32")
emb = layers.Embedding(1000, 32)(tokens)

seq = layers.RNN(MinimalRNNCell(64), return_sequences=True)(emb)
last = layers.RNN(MinimalRNNCell(16))(seq)

out, state_h, state_c = layers.RNN(PeepholeCell(24, 8), return_state=True)(emb)
all_steps = layers.RNN(PeepholeCell(12, 6), return_sequences=True, return_state=True)(seq)

stacked = layers.RNN([MinimalRNNCell(32), MinimalRNNCell(48)], return_sequences=True)(emb)
stacked_last = layers.RNN([MinimalRNNCell(8), PeepholeCell(10, 5)], return_state=True)(emb)

mixed = layers.RNN([layers.GRUCell(16), MinimalRNNCell(12)])(emb)
cells = [layers.LSTMCell(20), layers.SimpleRNNCell(10)]
stacked_builtin = layers.RNN(cells, return_sequences=True)(emb)

merged = layers.Concatenate()([last, out, mixed])
head = layers.Dense(2, activation="softmax")(merged)
model = keras.Model(tokens, head)

# Valid look-alike: a cell whose state_size comes from a constructor argument, reused as the
# initial state of a second RNN.
enc_out, enc_state = layers.RNN(MinimalRNNCell(40), return_state=True)(emb)
dec_in = keras.Input(shape=(None, 5))
dec_seq = layers.RNN(MinimalRNNCell(40), return_sequences=True)(dec_in, initial_state=[enc_state])
dec_pred = layers.TimeDistributed(layers.Dense(5))(dec_seq)
