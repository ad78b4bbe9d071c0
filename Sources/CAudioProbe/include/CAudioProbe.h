/* The C boundary of audiosync's audio probe. Only the Swift module AudioProbe calls it.
 *
 * Every function is prefixed audiosync_ and returns an audiosync_status (0 or a negative code);
 * library codes (libopusfile OP_E*, libvorbisfile OV_E*) are translated in C so
 * that no library header leaks through this one. */
#ifndef AUDIOSYNC_CAUDIOPROBE_H
#define AUDIOSYNC_CAUDIOPROBE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes. Negative values are errors; their meaning follows libopusfile's OP_E* set. */
typedef enum audiosync_status {
    AUDIOSYNC_OK = 0,
    AUDIOSYNC_ERR_READ = -1,           /* a read or seek failed (OP_EREAD, OV_EREAD) */
    AUDIOSYNC_ERR_FAULT = -2,          /* internal library error (OP_EFAULT, OV_EFAULT) */
    AUDIOSYNC_ERR_IMPL = -3,           /* a feature the library does not implement (OP_EIMPL, OV_EIMPL) */
    AUDIOSYNC_ERR_INVAL = -4,          /* an invalid argument (OP_EINVAL, OV_EINVAL) */
    AUDIOSYNC_ERR_NOT_FORMAT = -5,     /* not an Ogg stream of this codec (OP_ENOTFORMAT, OV_ENOTVORBIS) */
    AUDIOSYNC_ERR_BAD_HEADER = -6,     /* a header packet is malformed or missing (OP_EBADHEADER, OV_EBADHEADER) */
    AUDIOSYNC_ERR_VERSION = -7,        /* an unknown header version (OP_EVERSION, OV_EVERSION) */
    AUDIOSYNC_ERR_BAD_LINK = -8,       /* data seen before vanished after a seek (OP_EBADLINK, OV_EBADLINK) */
    AUDIOSYNC_ERR_BAD_TIMESTAMP = -9,  /* first or last granule position invalid (OP_EBADTIMESTAMP) */
    AUDIOSYNC_ERR_BAD_PACKET = -10,    /* a packet is malformed (OP_EBADPACKET) */
    AUDIOSYNC_ERR_NO_MEMORY = -11,     /* an allocation failed */
    AUDIOSYNC_ERR_UNSUPPORTED = -13,   /* the fast path does not cover this stream: use the reference path */
    AUDIOSYNC_ERR_TRUNCATED = -14,     /* the data ends before the headers do */
    AUDIOSYNC_ERR_UNKNOWN = -15        /* a library code this shim does not know */
} audiosync_status;

enum {
    AUDIOSYNC_CODEC_UNKNOWN = 0,
    AUDIOSYNC_CODEC_OPUS = 1,
    AUDIOSYNC_CODEC_VORBIS = 2
};

/* Facts about the end of an Ogg file, set by the fast path even when it declines the stream. */
enum {
    AUDIOSYNC_OGG_EOS = 1u << 0,               /* the last page of the stream has the end-of-stream flag */
    AUDIOSYNC_OGG_PARTIAL_PAGE = 1u << 1,      /* the data ends inside a page: cut short */
    AUDIOSYNC_OGG_TRAILING_BYTES = 1u << 2,    /* bytes after the last page that are no page at all */
    AUDIOSYNC_OGG_UNTIMED_TAIL = 1u << 3,      /* packets end after the last granule position (-1 granules) */
    AUDIOSYNC_OGG_CHAINED = 1u << 4,           /* another logical stream follows (a chained file) */
    AUDIOSYNC_OGG_SKIPPED_BYTES = 1u << 5,     /* bytes between pages that are no page (corruption) */
    AUDIOSYNC_OGG_HEAD_TOO_SHORT = 1u << 6     /* the head ended before the first audio page: pass more */
};

/* What an Ogg Opus or Ogg Vorbis probe learnt. Sample counts are at granule_rate. */
typedef struct audiosync_ogg_info {
    int32_t codec;          /* AUDIOSYNC_CODEC_* */
    int32_t channels;
    int32_t input_rate;     /* Opus: the OpusHead input sample rate (informational); Vorbis: the rate */
    int32_t granule_rate;   /* 48000 for Opus; the sample rate for Vorbis */
    int32_t pre_skip;       /* Opus: samples at 48 kHz to drop at the start; Vorbis: 0 */
    int32_t links;          /* logical streams chained one after another */
    uint32_t flags;         /* AUDIOSYNC_OGG_* */
    int32_t reserved;
    int64_t pcm_start;      /* granule position of the first sample (first link) */
    int64_t pcm_end;        /* last granule position (last link) */
    int64_t total_samples;  /* what op_pcm_total(of, -1) / ov_pcm_total(vf, -1) report */
    double seconds;         /* the duration: total_samples / granule_rate, or ov_time_total(vf, -1) */
} audiosync_ogg_info;

/* The fast path: Ogg pages only, no decoder. `head` holds the file's first `head_len` bytes;
 * `tail` holds its last `tail_len` bytes, which start at `tail_offset` and end at the end of the
 * file (`tail_offset + tail_len` is the file size). For a small file both may be the whole file.
 * Returns AUDIOSYNC_OK with `out` filled, AUDIOSYNC_ERR_UNSUPPORTED when the reference path must
 * decide (chained or multiplexed streams, headers past `head`, damage), or another error. */
int audiosync_ogg_probe_fast(const uint8_t *head, size_t head_len, const uint8_t *tail, size_t tail_len,
                             int64_t tail_offset, audiosync_ogg_info *out);

/* The reference path through libopusfile (codec AUDIOSYNC_CODEC_OPUS) or libvorbisfile
 * (AUDIOSYNC_CODEC_VORBIS). The `_fd` variants read with pread(2) from an open descriptor of
 * `file_size` bytes and never close it; the `_memory` variants read a caller-owned buffer. */
int audiosync_ogg_probe_reference_fd(int32_t codec, int fd, int64_t file_size, audiosync_ogg_info *out);
int audiosync_ogg_probe_reference_memory(int32_t codec, const uint8_t *data, size_t size,
                                         audiosync_ogg_info *out);

#ifdef __cplusplus
}
#endif
#endif
