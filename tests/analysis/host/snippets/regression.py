# Regression on Boston and California housing: normalisation with numpy, input_shape from data.
import numpy as np
from keras import layers, models
from keras.datasets import boston_housing, california_housing

(train_data, train_targets), (test_data, test_targets) = boston_housing.load_data()
mean = train_data.mean(axis=0)
train_data -= mean
std = train_data.std(axis=0)
train_data /= std
test_data = (test_data - mean) / std
num_val_samples = len(train_data) // 4
val_data = train_data[:num_val_samples]
partial_train = np.concatenate([train_data[:num_val_samples], train_data[2 * num_val_samples:]],
                               axis=0)


def build_model():
    model = models.Sequential()
    model.add(layers.Dense(64, activation="relu", input_shape=(train_data.shape[1],)))
    model.add(layers.Dense(64, activation="relu"))
    model.add(layers.Dense(1))
    return model


boston = build_model()
(x_tr, y_tr), (x_te, y_te) = california_housing.load_data(version="small", test_split=0.25)
(x_big, y_big), _ = california_housing.load_data()
targets = y_tr.reshape(-1, 1)
cal = models.Sequential([layers.Input(shape=x_tr.shape[1:]), layers.Dense(32), layers.Dense(1)])
pred = cal(x_te)
