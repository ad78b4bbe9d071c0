/* The reference path: libopusfile and libvorbisfile open the whole stream (every link of a
 * chained file, damage skipped as they see fit) and report the duration. Slower, since opening
 * creates a decoder; used by the tests as the truth and by the probe when the fast path declines. */
#define _XOPEN_SOURCE 700
#include "CAudioProbe.h"

#include <errno.h>
#include <opus/opusfile.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <vorbis/vorbisfile.h>

/* One random-access byte source for both libraries: an open descriptor read with pread(2), so the
 * caller keeps ownership and nothing follows a path again, or a caller-owned memory buffer. */
typedef struct byte_source {
    int fd;
    const uint8_t *data;
    int64_t size;
    int64_t position;
} byte_source;

static size_t source_read(byte_source *src, unsigned char *buffer, size_t wanted) {
    if (src->position >= src->size) return 0;
    int64_t left = src->size - src->position;
    if ((int64_t)wanted > left) wanted = (size_t)left;
    if (src->data != NULL) {
        memcpy(buffer, src->data + src->position, wanted);
        src->position += (int64_t)wanted;
        return wanted;
    }
    size_t done = 0;
    while (done < wanted) {
        ssize_t got = pread(src->fd, buffer + done, wanted - done, (off_t)(src->position + (int64_t)done));
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        done += (size_t)got;
    }
    src->position += (int64_t)done;
    return done;
}

static int source_seek(byte_source *src, int64_t offset, int whence) {
    int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? src->position : src->size;
    if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) return -1;
    if ((offset > 0 && base > INT64_MAX - offset) || base + offset < 0) return -1;
    src->position = base + offset;
    return 0;
}

/* libopusfile callbacks. op_read_func: "Return: The number of bytes successfully read, or a
   negative value on error." op_seek_func: "0 on success, or -1 on error". */
static int op_source_read(void *stream, unsigned char *ptr, int nbytes) {
    if (nbytes < 0) return -1;
    return (int)source_read(stream, ptr, (size_t)nbytes);
}
static int op_source_seek(void *stream, opus_int64 offset, int whence) { return source_seek(stream, offset, whence); }
static opus_int64 op_source_tell(void *stream) { return ((byte_source *)stream)->position; }

/* libvorbisfile callbacks, fread(3)-like; a NULL close_func means ov_clear() closes nothing. */
static size_t ov_source_read(void *ptr, size_t size, size_t nmemb, void *stream) {
    if (size == 0) return 0;
    return source_read(stream, ptr, size * nmemb) / size;
}
static int ov_source_seek(void *stream, ogg_int64_t offset, int whence) { return source_seek(stream, offset, whence); }
static long ov_source_tell(void *stream) { return (long)((byte_source *)stream)->position; }

/* The one translation of libopusfile and libvorbisfile codes (the two share values). */
static int status_from_library(int code) {
    switch (code) {
    case 0: return AUDIOSYNC_OK;
    case OP_EREAD: return AUDIOSYNC_ERR_READ;
    case OP_EFAULT: return AUDIOSYNC_ERR_FAULT;
    case OP_EIMPL: return AUDIOSYNC_ERR_IMPL;
    case OP_EINVAL: return AUDIOSYNC_ERR_INVAL;
    case OP_ENOTFORMAT: return AUDIOSYNC_ERR_NOT_FORMAT;
    case OP_EBADHEADER: return AUDIOSYNC_ERR_BAD_HEADER;
    case OP_EVERSION: return AUDIOSYNC_ERR_VERSION;
    case OP_ENOTAUDIO: return AUDIOSYNC_ERR_NOT_FORMAT;
    case OP_EBADPACKET: return AUDIOSYNC_ERR_BAD_PACKET;
    case OP_EBADLINK: return AUDIOSYNC_ERR_BAD_LINK;
    case OP_ENOSEEK: return AUDIOSYNC_ERR_READ;
    case OP_EBADTIMESTAMP: return AUDIOSYNC_ERR_BAD_TIMESTAMP;
    /* Not documented as results of opening, but returned by libvorbisfile's when a later link
       vanishes: data that should be there is not, which is damage, not an I/O failure. */
    case OP_FALSE:
    case OP_EOF:
    case OP_HOLE: return AUDIOSYNC_ERR_BAD_LINK;
    default: return AUDIOSYNC_ERR_UNKNOWN;
    }
}

static int probe_opus(byte_source *src, audiosync_ogg_info *out) {
    OpusFileCallbacks callbacks = {op_source_read, op_source_seek, op_source_tell, NULL};
    int error = 0;
    /* libopusfile: op_open_callbacks returns NULL on error and "does not take ownership of the
       stream if the call fails"; ours is on the caller's stack and has no close callback. */
    OggOpusFile *file = op_open_callbacks(src, &callbacks, NULL, 0, &error);
    if (file == NULL) return error != 0 ? status_from_library(error) : AUDIOSYNC_ERR_FAULT;
    out->codec = AUDIOSYNC_CODEC_OPUS;
    out->links = op_link_count(file);
    out->granule_rate = 48000;
    const OpusHead *head = op_head(file, 0);
    if (head != NULL) {
        out->channels = head->channel_count;
        out->pre_skip = (int32_t)head->pre_skip;
        out->input_rate = (int32_t)head->input_sample_rate;
    }
    /* op_pcm_total(of, -1): "the total PCM length of the stream, in samples at 48 kHz", pre-skip
       already removed; negative (OP_EINVAL) only for an unseekable source or a bad link index. */
    ogg_int64_t total = op_pcm_total(file, -1);
    op_free(file);
    if (total < 0) return status_from_library((int)total);
    out->total_samples = total;
    out->seconds = (double)total / 48000.0;
    return AUDIOSYNC_OK;
}

static int probe_vorbis(byte_source *src, audiosync_ogg_info *out) {
    ov_callbacks callbacks = {ov_source_read, ov_source_seek, NULL, ov_source_tell};
    OggVorbis_File file;
    /* libvorbisfile: "The application is responsible for closing a file when a call to
       ov_open_callbacks() is unsuccessful"; it has cleared its own state by then. */
    int rc = ov_open_callbacks(src, &file, NULL, 0, callbacks);
    if (rc != 0) return status_from_library(rc);
    out->codec = AUDIOSYNC_CODEC_VORBIS;
    out->links = (int32_t)ov_streams(&file);
    vorbis_info *info = ov_info(&file, 0);
    if (info != NULL) {
        out->channels = info->channels;
        out->input_rate = (int32_t)info->rate;
        out->granule_rate = (int32_t)info->rate;
    }
    /* ov_pcm_total / ov_time_total(vf, -1): the whole physical stream, OV_EINVAL if unseekable. */
    ogg_int64_t total = ov_pcm_total(&file, -1);
    double seconds = ov_time_total(&file, -1);
    ov_clear(&file);
    if (total < 0) return status_from_library((int)total);
    out->total_samples = total;
    out->seconds = seconds;
    return AUDIOSYNC_OK;
}

static int probe_reference(int32_t codec, byte_source *src, audiosync_ogg_info *out) {
    if (out == NULL) return AUDIOSYNC_ERR_INVAL;
    memset(out, 0, sizeof *out);
    switch (codec) {
    case AUDIOSYNC_CODEC_OPUS: return probe_opus(src, out);
    case AUDIOSYNC_CODEC_VORBIS: return probe_vorbis(src, out);
    default: return AUDIOSYNC_ERR_INVAL;
    }
}

int audiosync_ogg_probe_reference_fd(int32_t codec, int fd, int64_t file_size, audiosync_ogg_info *out) {
    if (fd < 0 || file_size < 0) return AUDIOSYNC_ERR_INVAL;
    byte_source src = {fd, NULL, file_size, 0};
    return probe_reference(codec, &src, out);
}

int audiosync_ogg_probe_reference_memory(int32_t codec, const uint8_t *data, size_t size, audiosync_ogg_info *out) {
    if (data == NULL && size > 0) return AUDIOSYNC_ERR_INVAL;
    byte_source src = {-1, data, (int64_t)size, 0};
    return probe_reference(codec, &src, out);
}
