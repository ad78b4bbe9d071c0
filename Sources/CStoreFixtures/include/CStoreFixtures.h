/* The C side of audiosync's store fixtures: a libopus encoder and the Ogg page checksum, for
 * writing real Ogg Opus notes. Only the Swift module StoreFixtures calls it; the product never
 * links it.
 *
 * Every function is prefixed audiosync_ and returns 0, a non-negative count, or a negative
 * audiosync_fixture_status; libopus's OPUS_* codes are translated in C so that no library
 * header leaks through this one. */
#ifndef AUDIOSYNC_CSTOREFIXTURES_H
#define AUDIOSYNC_CSTOREFIXTURES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes. Negative values are errors. */
typedef enum audiosync_fixture_status {
    AUDIOSYNC_FIXTURE_OK = 0,
    AUDIOSYNC_FIXTURE_ERR_FAULT = -1,            /* internal library error (OPUS_INTERNAL_ERROR, OPUS_INVALID_STATE) */
    AUDIOSYNC_FIXTURE_ERR_IMPL = -2,             /* a feature libopus does not implement (OPUS_UNIMPLEMENTED) */
    AUDIOSYNC_FIXTURE_ERR_INVAL = -3,            /* an invalid argument (OPUS_BAD_ARG) */
    AUDIOSYNC_FIXTURE_ERR_BAD_PACKET = -4,       /* a packet is malformed (OPUS_INVALID_PACKET) */
    AUDIOSYNC_FIXTURE_ERR_NO_MEMORY = -5,        /* an allocation failed (OPUS_ALLOC_FAIL) */
    AUDIOSYNC_FIXTURE_ERR_BUFFER_TOO_SMALL = -6, /* the output buffer is too small (OPUS_BUFFER_TOO_SMALL) */
    AUDIOSYNC_FIXTURE_ERR_UNKNOWN = -7           /* a library code this shim does not know */
} audiosync_fixture_status;

/* Sets the CRC of a complete Ogg page (header with its segment table, then the body) in place,
 * as libogg's ogg_page_checksum_set does. */
void audiosync_ogg_page_set_checksum(uint8_t *header, size_t header_len, uint8_t *body, size_t body_len);

/* The number of samples at 48 kHz in one Opus packet, or a negative audiosync_fixture_status. */
int audiosync_opus_packet_samples(const uint8_t *packet, int32_t len);

/* A libopus encoder for mono or stereo 16-bit PCM, VoIP application. Opaque. */
typedef struct audiosync_opus_encoder audiosync_opus_encoder;

int audiosync_opus_encoder_create(int32_t sample_rate, int32_t channels, int32_t bitrate,
                                  audiosync_opus_encoder **out);
/* The encoder's look-ahead in samples at 48 kHz: the pre-skip an Ogg Opus file needs. */
int audiosync_opus_encoder_lookahead(audiosync_opus_encoder *encoder, int32_t *out);
/* Encodes one frame of `frame_size` samples per channel; returns the packet's length or an error. */
int audiosync_opus_encode(audiosync_opus_encoder *encoder, const int16_t *pcm, int32_t frame_size,
                          uint8_t *packet, int32_t max_bytes);
void audiosync_opus_encoder_destroy(audiosync_opus_encoder *encoder);

#ifdef __cplusplus
}
#endif
#endif
