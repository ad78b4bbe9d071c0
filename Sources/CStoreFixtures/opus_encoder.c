/* A libopus encoder for generated stores and tests: real Opus packets of known duration. */
#include "CStoreFixtures.h"

#include <opus/opus.h>
#include <stdlib.h>

struct audiosync_opus_encoder {
    OpusEncoder *encoder;
    int32_t channels;
};

/* The one translation of libopus codes. */
static int status_from_opus(int code) {
    if (code >= 0) return code;
    switch (code) {
    case OPUS_BAD_ARG: return AUDIOSYNC_FIXTURE_ERR_INVAL;
    case OPUS_BUFFER_TOO_SMALL: return AUDIOSYNC_FIXTURE_ERR_BUFFER_TOO_SMALL;
    case OPUS_INTERNAL_ERROR: return AUDIOSYNC_FIXTURE_ERR_FAULT;
    case OPUS_INVALID_PACKET: return AUDIOSYNC_FIXTURE_ERR_BAD_PACKET;
    case OPUS_UNIMPLEMENTED: return AUDIOSYNC_FIXTURE_ERR_IMPL;
    case OPUS_INVALID_STATE: return AUDIOSYNC_FIXTURE_ERR_FAULT;
    case OPUS_ALLOC_FAIL: return AUDIOSYNC_FIXTURE_ERR_NO_MEMORY;
    default: return AUDIOSYNC_FIXTURE_ERR_UNKNOWN;
    }
}

int audiosync_opus_encoder_create(int32_t sample_rate, int32_t channels, int32_t bitrate,
                                  audiosync_opus_encoder **out) {
    if (out == NULL) return AUDIOSYNC_FIXTURE_ERR_INVAL;
    *out = NULL;
    audiosync_opus_encoder *wrapper = malloc(sizeof *wrapper);
    if (wrapper == NULL) return AUDIOSYNC_FIXTURE_ERR_NO_MEMORY;
    int error = OPUS_OK;
    /* libopus: opus_encoder_create "returns NULL on failure" with the reason in *error;
       Fs must be 8000, 12000, 16000, 24000 or 48000 and channels 1 or 2 (else OPUS_BAD_ARG). */
    wrapper->encoder = opus_encoder_create(sample_rate, channels, OPUS_APPLICATION_VOIP, &error);
    if (wrapper->encoder == NULL || error != OPUS_OK) {
        if (wrapper->encoder != NULL) opus_encoder_destroy(wrapper->encoder);
        free(wrapper);
        return error != OPUS_OK ? status_from_opus(error) : AUDIOSYNC_FIXTURE_ERR_NO_MEMORY;
    }
    wrapper->channels = channels;
    if (bitrate > 0) {
        int rc = opus_encoder_ctl(wrapper->encoder, OPUS_SET_BITRATE(bitrate));
        if (rc != OPUS_OK) {
            opus_encoder_destroy(wrapper->encoder);
            free(wrapper);
            return status_from_opus(rc);
        }
    }
    *out = wrapper;
    return AUDIOSYNC_FIXTURE_OK;
}

int audiosync_opus_encoder_lookahead(audiosync_opus_encoder *encoder, int32_t *out) {
    if (encoder == NULL || out == NULL) return AUDIOSYNC_FIXTURE_ERR_INVAL;
    opus_int32 lookahead = 0;
    /* OPUS_GET_LOOKAHEAD: "the total samples of delay added by the entire codec", at the
       encoder's rate; RFC 7845 wants the pre-skip at 48 kHz. */
    int rc = opus_encoder_ctl(encoder->encoder, OPUS_GET_LOOKAHEAD(&lookahead));
    if (rc != OPUS_OK) return status_from_opus(rc);
    opus_int32 rate = 0;
    rc = opus_encoder_ctl(encoder->encoder, OPUS_GET_SAMPLE_RATE(&rate));
    if (rc != OPUS_OK || rate <= 0) return rc != OPUS_OK ? status_from_opus(rc) : AUDIOSYNC_FIXTURE_ERR_FAULT;
    *out = (int32_t)((int64_t)lookahead * 48000 / rate);
    return AUDIOSYNC_FIXTURE_OK;
}

int audiosync_opus_encode(audiosync_opus_encoder *encoder, const int16_t *pcm, int32_t frame_size,
                          uint8_t *packet, int32_t max_bytes) {
    if (encoder == NULL || pcm == NULL || packet == NULL || frame_size <= 0 || max_bytes <= 0) {
        return AUDIOSYNC_FIXTURE_ERR_INVAL;
    }
    /* opus_encode: "The length of the encoded packet (in bytes) on success or a negative error
       code"; frame_size must be 2.5, 5, 10, 20, 40, 60, 80, 100 or 120 ms at the encoder's rate. */
    return status_from_opus(opus_encode(encoder->encoder, pcm, frame_size, packet, max_bytes));
}

int audiosync_opus_packet_samples(const uint8_t *packet, int32_t len) {
    if (packet == NULL || len <= 0) return AUDIOSYNC_FIXTURE_ERR_INVAL;
    /* opus_packet_get_nb_samples: "Number of samples" or OPUS_BAD_ARG / OPUS_INVALID_PACKET; a
       packet longer than 120 ms is invalid, as libopusfile's op_get_packet_duration has it. */
    return status_from_opus(opus_packet_get_nb_samples(packet, len, 48000));
}

void audiosync_opus_encoder_destroy(audiosync_opus_encoder *encoder) {
    if (encoder == NULL) return;
    opus_encoder_destroy(encoder->encoder);
    free(encoder);
}
