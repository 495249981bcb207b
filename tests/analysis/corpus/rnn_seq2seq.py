"""Character-level seq2seq: LSTM encoder states feed the decoder; inference models reuse layers."""
import keras
from keras.layers import LSTM, Dense, Embedding, Input

num_encoder_tokens = 71
num_decoder_tokens = 93
latent_dim = 32
max_len = 16

encoder_inputs = Input(shape=(None,))
enc_emb = Embedding(num_encoder_tokens, 24)(encoder_inputs)
encoder = LSTM(latent_dim, return_state=True)
encoder_outputs, state_h, state_c = encoder(enc_emb)
encoder_states = [state_h, state_c]

decoder_inputs = Input(shape=(max_len,))
dec_emb_layer = Embedding(num_decoder_tokens, 24)
dec_emb = dec_emb_layer(decoder_inputs)
decoder_lstm = LSTM(latent_dim, return_sequences=True, return_state=True)
decoder_outputs, _, _ = decoder_lstm(dec_emb, initial_state=encoder_states)
decoder_dense = Dense(num_decoder_tokens, activation="softmax")
decoder_outputs = decoder_dense(decoder_outputs)

model = keras.Model([encoder_inputs, decoder_inputs], decoder_outputs)

# Inference models
encoder_model = keras.Model(encoder_inputs, encoder_states)
decoder_state_input_h = Input(shape=(latent_dim,))
decoder_state_input_c = Input(shape=(latent_dim,))
decoder_states_inputs = [decoder_state_input_h, decoder_state_input_c]
step_inputs = Input(shape=(1,))
step_emb = dec_emb_layer(step_inputs)
decoder_outputs2, state_h2, state_c2 = decoder_lstm(step_emb, initial_state=decoder_states_inputs)
decoder_outputs2 = decoder_dense(decoder_outputs2)
decoder_model = keras.Model(
    [step_inputs] + decoder_states_inputs, [decoder_outputs2, state_h2, state_c2]
)
