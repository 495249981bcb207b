# Random data as tutorials make it: the issue's `np.random.normal(0, 1, (4, 8))` then Dense(3).
import numpy as np
from tensorflow import keras
from tensorflow.keras.layers import Dense

x = np.random.normal(0, 1, (4, 8))
y = Dense(3)(x)
noise = np.random.normal(size=(16, 100))
data = np.random.rand(100, 20)
gauss = np.random.randn(32, 10)
unif = np.random.uniform(-1, 1, (5, 3))
unif_kw = np.random.uniform(low=0.0, high=1.0, size=(6, 2))
labels = np.random.randint(0, 10, size=(100,))
labels2 = np.random.randint(5, size=(3, 4))
picks = np.random.choice(10, 5)
perm = np.random.permutation(100)
samples = np.random.random((7, 3))
np.random.shuffle(data)
idx = np.random.permutation(len(data))
shuffled = data[idx]  # unknown
rng = np.random.default_rng(42)
z = rng.normal(size=(3, 4))
ints = rng.integers(0, 5, size=7)
state = np.random.RandomState(0)
legacy = state.randn(2, 5)
out = keras.Sequential([keras.Input(shape=(20,)), Dense(4)])(data)
enc = Dense(8)(noise)
