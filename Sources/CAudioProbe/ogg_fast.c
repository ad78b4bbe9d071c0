/* The fast path: an Ogg Opus or Ogg Vorbis duration from the first and last pages, with libogg's
 * page API and no decoder. It computes what libopusfile's op_pcm_total() and libvorbisfile's
 * ov_pcm_total() would (the start offset exactly as they derive it) and declines, with
 * AUDIOSYNC_ERR_UNSUPPORTED, every stream whose answer it cannot be sure of, so that the caller
 * asks the reference path instead. */
#include "CAudioProbe.h"

#include <ogg/ogg.h>
#include <opus/opus.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <vorbis/codec.h>

/* One buffer fed to an ogg_sync_state. libogg copies it, so callers feed only what they need:
 * 4 KiB of the head at a time, or the one page whose checksum matters. */
static int feed(ogg_sync_state *sync, const uint8_t *data, size_t len) {
    if (len > (size_t)INT32_MAX) return AUDIOSYNC_ERR_INVAL;
    /* libogg: ogg_sync_buffer "returns a pointer to the newly allocated buffer or NULL on error". */
    char *buffer = ogg_sync_buffer(sync, (long)len);
    if (buffer == NULL) return AUDIOSYNC_ERR_NO_MEMORY;
    memcpy(buffer, data, len);
    if (ogg_sync_wrote(sync, (long)len) != 0) return AUDIOSYNC_ERR_FAULT;
    return AUDIOSYNC_OK;
}

/* As libopusfile's op_get_packet_duration: frames times samples per frame at 48 kHz, at most
 * 120 ms; a negative value for a packet with an invalid TOC sequence. */
static int opus_packet_duration(const unsigned char *data, long len) {
    if (len <= 0 || len > INT32_MAX) return -1;
    int frames = opus_packet_get_nb_frames(data, (opus_int32)len);
    if (frames < 0) return -1;
    int samples = frames * opus_packet_get_samples_per_frame(data, 48000);
    if (samples > 120 * 48) return -1;
    return samples;
}

static uint16_t le16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* What the fast path needs of a Vorbis setup header: the block size each audio packet's first
 * byte selects, as vorbis_packet_blocksize() answers. That function reads the packet-type bit and
 * ilog(modes - 1) <= 6 mode bits, all in the first byte, so a table over bits 1..6 of that byte is
 * it exactly. Decoding a setup header (its codebooks) cost more than the rest of a Vorbis probe,
 * and the notes of one deployment share a handful of setup headers (one per encoder and
 * setting): each is decoded once per process and remembered by its bytes and the identification
 * header's (which the decoding depends on). */
typedef struct vorbis_setup_entry {
    unsigned char *id;
    long id_len;
    unsigned char *setup;
    long setup_len;
    long blocksize[64];
} vorbis_setup_entry;

enum { VORBIS_SETUPS_REMEMBERED = 16 };
static vorbis_setup_entry vorbis_setups[VORBIS_SETUPS_REMEMBERED];
static int vorbis_setup_count;
static pthread_mutex_t vorbis_setup_lock = PTHREAD_MUTEX_INITIALIZER;

static int vorbis_setup_recall(const unsigned char *id, long id_len, const ogg_packet *setup, long *blocksize) {
    int found = 0;
    pthread_mutex_lock(&vorbis_setup_lock);
    for (int i = 0; i < vorbis_setup_count && !found; i++) {
        const vorbis_setup_entry *e = &vorbis_setups[i];
        if (e->id_len == id_len && e->setup_len == setup->bytes && memcmp(e->id, id, (size_t)id_len) == 0 &&
            memcmp(e->setup, setup->packet, (size_t)setup->bytes) == 0) {
            memcpy(blocksize, e->blocksize, sizeof e->blocksize);
            found = 1;
        }
    }
    pthread_mutex_unlock(&vorbis_setup_lock);
    return found;
}

static void vorbis_setup_remember(const unsigned char *id, long id_len, const ogg_packet *setup, const long *blocksize) {
    pthread_mutex_lock(&vorbis_setup_lock);
    if (vorbis_setup_count < VORBIS_SETUPS_REMEMBERED) {
        vorbis_setup_entry *e = &vorbis_setups[vorbis_setup_count];
        e->id = malloc((size_t)id_len);
        e->setup = malloc((size_t)setup->bytes);
        if (e->id != NULL && e->setup != NULL) {
            memcpy(e->id, id, (size_t)id_len);
            e->id_len = id_len;
            memcpy(e->setup, setup->packet, (size_t)setup->bytes);
            e->setup_len = setup->bytes;
            memcpy(e->blocksize, blocksize, sizeof e->blocksize);
            vorbis_setup_count++;
        } else {
            free(e->id);
            free(e->setup);
            e->id = NULL;
            e->setup = NULL;
        }
    }
    pthread_mutex_unlock(&vorbis_setup_lock);
}

/* The table for a decoded setup: each first-byte pattern put to vorbis_packet_blocksize(). */
static void vorbis_blocksize_table(vorbis_info *vi, long *blocksize) {
    for (int v = 0; v < 64; v++) {
        unsigned char byte = (unsigned char)(v << 1); /* packet-type bit 0 (audio), then the mode bits */
        ogg_packet fake;
        memset(&fake, 0, sizeof fake);
        fake.packet = &byte;
        fake.bytes = 1;
        blocksize[v] = vorbis_packet_blocksize(vi, &fake);
    }
}

/* vorbis_packet_blocksize() from the table: OV_ENOTAUDIO for an empty packet or a header. */
static long vorbis_blocksize_of(const long *blocksize, const ogg_packet *packet) {
    if (packet->bytes <= 0 || (packet->packet[0] & 1) != 0) return OV_ENOTAUDIO;
    return blocksize[(packet->packet[0] >> 1) & 63];
}

typedef struct head_state {
    ogg_sync_state sync;
    ogg_stream_state stream;
    vorbis_info vi;
    vorbis_comment vc;
    int stream_ready;
    int vorbis_ready;
    /* The identification header's bytes (30 in valid streams), and the block size table. */
    unsigned char vorbis_id[64];
    long vorbis_id_len;
    long vorbis_blocksize[64];
} head_state;

/* Reads the headers and the first page with completed audio packets from `head`. */
static int probe_head(head_state *st, const uint8_t *head, size_t head_len, int whole_file,
                      audiosync_ogg_info *out, int64_t *first_audio_offset, long *first_audio_seq) {
    /* Fed 4 KiB at a time: the first audio page usually ends within the first few KiB, and
       copying (and checksumming) a whole small file here would be wasted. */
    size_t fed = 0;
    ogg_page page;
    long offset = 0;
    int packets = 0;         /* packets of our stream taken out so far */
    int64_t accumulated = 0; /* Opus: durations on the first audio page; Vorbis: as _initial_pcmoffset */
    long last_block = -1;
    for (;;) {
        long n = ogg_sync_pageseek(&st->sync, &page);
        if (n == 0 && fed < head_len) {
            size_t chunk = head_len - fed < 4096 ? head_len - fed : 4096;
            int rc = feed(&st->sync, head + fed, chunk);
            if (rc != AUDIOSYNC_OK) return rc;
            fed += chunk;
            continue;
        }
        if (n == 0) {
            /* Out of data before the first audio page: a cut file if the head was all of it and
               a page was left unfinished; a stream with no audio at all is the reference's call. */
            int unfinished = st->sync.fill > st->sync.returned;
            if (!whole_file) out->flags |= AUDIOSYNC_OGG_HEAD_TOO_SHORT;
            return whole_file && unfinished ? AUDIOSYNC_ERR_TRUNCATED : AUDIOSYNC_ERR_UNSUPPORTED;
        }
        if (n < 0) {
            /* Bytes that are no page. libopusfile skips leading junk; we leave that to it. */
            return AUDIOSYNC_ERR_UNSUPPORTED;
        }
        long page_offset = offset;
        offset += n;
        if (!st->stream_ready) {
            if (page_offset != 0 || !ogg_page_bos(&page)) return AUDIOSYNC_ERR_UNSUPPORTED;
            if (ogg_stream_init(&st->stream, ogg_page_serialno(&page)) != 0) return AUDIOSYNC_ERR_NO_MEMORY;
            st->stream_ready = 1;
        } else if (ogg_page_serialno(&page) != st->stream.serialno) {
            /* A second logical stream (multiplexed or an empty first link): not ours to judge. */
            return AUDIOSYNC_ERR_UNSUPPORTED;
        }
        if (ogg_stream_pagein(&st->stream, &page) != 0) return AUDIOSYNC_ERR_UNSUPPORTED;
        ogg_packet packet;
        int completed_audio = 0;
        for (;;) {
            int got = ogg_stream_packetout(&st->stream, &packet);
            if (got == 0) break;
            if (got < 0) {
                if (packets < 3) return AUDIOSYNC_ERR_UNSUPPORTED; /* a hole among the headers */
                continue;                                         /* both libraries ignore holes */
            }
            if (packets == 0) {
                if (packet.bytes >= 19 && memcmp(packet.packet, "OpusHead", 8) == 0) {
                    const unsigned char *h = packet.packet;
                    /* RFC 7845 5.1: a major version other than 0 is incompatible. */
                    if (h[8] > 15) return AUDIOSYNC_ERR_UNSUPPORTED;
                    if (h[9] == 0 || h[18] != 0 || h[9] > 2) return AUDIOSYNC_ERR_UNSUPPORTED;
                    out->codec = AUDIOSYNC_CODEC_OPUS;
                    out->channels = h[9];
                    out->pre_skip = le16(h + 10);
                    out->input_rate = (int32_t)le32(h + 12);
                    out->granule_rate = 48000;
                } else if (packet.bytes >= 7 && packet.packet[0] == 1 && memcmp(packet.packet + 1, "vorbis", 6) == 0) {
                    vorbis_info_init(&st->vi);
                    vorbis_comment_init(&st->vc);
                    st->vorbis_ready = 1;
                    /* libvorbis: vorbis_synthesis_headerin returns 0 on success, OV_ENOTVORBIS,
                       OV_EBADHEADER or OV_EFAULT otherwise. */
                    if (vorbis_synthesis_headerin(&st->vi, &st->vc, &packet) != 0) return AUDIOSYNC_ERR_UNSUPPORTED;
                    /* Longer than a valid identification header: not remembered, always decoded. */
                    st->vorbis_id_len = packet.bytes <= (long)sizeof st->vorbis_id ? packet.bytes : -1;
                    if (st->vorbis_id_len > 0) memcpy(st->vorbis_id, packet.packet, (size_t)packet.bytes);
                    out->codec = AUDIOSYNC_CODEC_VORBIS;
                    out->channels = st->vi.channels;
                    out->input_rate = (int32_t)st->vi.rate;
                    out->granule_rate = (int32_t)st->vi.rate;
                    if (st->vi.rate <= 0) return AUDIOSYNC_ERR_UNSUPPORTED;
                } else {
                    return AUDIOSYNC_ERR_NOT_FORMAT;
                }
                packets++;
                continue;
            }
            if (out->codec == AUDIOSYNC_CODEC_OPUS && packets == 1) {
                if (packet.bytes < 8 || memcmp(packet.packet, "OpusTags", 8) != 0) return AUDIOSYNC_ERR_UNSUPPORTED;
                packets += 2; /* Opus has two header packets; count as three to share the index */
                continue;
            }
            if (out->codec == AUDIOSYNC_CODEC_VORBIS && packets < 3) {
                int setup = packets == 2;
                int known = setup && st->vorbis_id_len > 0 &&
                            vorbis_setup_recall(st->vorbis_id, st->vorbis_id_len, &packet, st->vorbis_blocksize);
                if (!known) {
                    if (vorbis_synthesis_headerin(&st->vi, &st->vc, &packet) != 0) return AUDIOSYNC_ERR_UNSUPPORTED;
                    if (setup) {
                        vorbis_blocksize_table(&st->vi, st->vorbis_blocksize);
                        if (st->vorbis_id_len > 0)
                            vorbis_setup_remember(st->vorbis_id, st->vorbis_id_len, &packet, st->vorbis_blocksize);
                    }
                }
                packets++;
                continue;
            }
            /* An audio packet. */
            if (out->codec == AUDIOSYNC_CODEC_OPUS) {
                int duration = opus_packet_duration(packet.packet, packet.bytes);
                /* libopusfile ignores packets with an invalid TOC sequence. */
                if (duration > 0) {
                    accumulated += duration;
                    completed_audio++;
                }
            } else {
                long block = vorbis_blocksize_of(st->vorbis_blocksize, &packet);
                if (block >= 0) {
                    if (last_block != -1) accumulated += (last_block + block) >> 2;
                    last_block = block;
                }
                completed_audio++;
            }
            packets++;
        }
        if (ogg_page_bos(&page) && page_offset != 0) return AUDIOSYNC_ERR_UNSUPPORTED;
        if (packets < 3) continue;
        int64_t granule = ogg_page_granulepos(&page);
        if (out->codec == AUDIOSYNC_CODEC_OPUS) {
            /* libopusfile (op_find_initial_pcm_offset) looks at the first page with a completed
               audio packet; "getting a packet without a valid granule position on the page is
               not okay" (OP_EBADTIMESTAMP), and the start is that granule minus the page's audio. */
            if (completed_audio == 0) continue;
            if (granule < 0) return AUDIOSYNC_ERR_UNSUPPORTED;
            int64_t start = granule - accumulated;
            if (start < 0) {
                /* Allowed only when this first page also ends the stream (end trimming). */
                if (!ogg_page_eos(&page) || granule < out->pre_skip) return AUDIOSYNC_ERR_UNSUPPORTED;
                start = 0;
            }
            out->pcm_start = start;
        } else {
            /* libvorbisfile (_initial_pcmoffset) accumulates block sizes over pages until one
               carries a granule position, and clamps a negative start to zero. */
            if (granule == -1) continue;
            if (granule < 0) return AUDIOSYNC_ERR_UNSUPPORTED;
            int64_t start = granule - accumulated;
            out->pcm_start = start < 0 ? 0 : start;
        }
        *first_audio_offset = page_offset;
        *first_audio_seq = ogg_page_pageno(&page);
        if (ogg_page_eos(&page)) out->flags |= AUDIOSYNC_OGG_EOS;
        return AUDIOSYNC_OK;
    }
}

typedef struct tail_facts {
    int64_t last_granule;
    int64_t last_granule_offset;
    long last_granule_seq;
    long pages;
    int64_t page_bytes;
} tail_facts;

/* The length of the structurally complete page at `p`: > 0 when its header, segment table and
 * body fit in `avail`; 0 when it starts a page (or a prefix of "OggS") that `avail` cuts short;
 * -1 when `p` is no page. The CRC is not checked here. */
static long page_length_at(const uint8_t *p, size_t avail) {
    if (avail < 4) return memcmp(p, "OggS", avail) == 0 ? 0 : -1;
    if (memcmp(p, "OggS", 4) != 0) return -1;
    if (avail < 27) return 0;
    if (p[4] != 0) return -1; /* stream structure version 0 is the only one */
    size_t segments = p[26];
    if (avail < 27 + segments) return 0;
    size_t body = 0;
    for (size_t i = 0; i < segments; i++) body += p[27 + i];
    size_t total = 27 + segments + body;
    return total > avail ? 0 : (long)total;
}

/* Whether the page at `p` (of `len` bytes, from page_length_at) has a correct CRC: libogg's
 * ogg_sync_pageseek "returns n > 0 when a page was synced at the current location" only after
 * checking the CRC, so a page fed alone must come back whole. */
static int page_checks(const uint8_t *p, long len) {
    ogg_sync_state sync;
    ogg_sync_init(&sync);
    ogg_page page;
    int ok = feed(&sync, p, (size_t)len) == AUDIOSYNC_OK && ogg_sync_pageseek(&sync, &page) == len;
    ogg_sync_clear(&sync);
    return ok;
}

/* The next checksummed page at or after `from`, or `len` when there is none. Hostile data can put
 * a capture pattern at every byte, each claiming a long page; the checksums tried are capped so
 * that the work stays linear (`*budget` counts down; at 0 the search gives up as if at the end). */
static size_t next_page(const uint8_t *data, size_t len, size_t from, int *partial, int *budget) {
    for (size_t i = from; i < len; i++) {
        if (data[i] != 'O') continue;
        long n = page_length_at(data + i, len - i);
        if (n > 0) {
            if (*budget <= 0) return len;
            --*budget;
            if (page_checks(data + i, n)) return i;
        }
        /* A whole capture pattern whose page the data cuts short (a lone trailing "O" is noise). */
        if (n == 0 && len - i >= 4) *partial = 1;
    }
    return len;
}

static int64_t le64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return (int64_t)v;
}

/* Finds the last granule position of `serial` in `tail` and what follows it by hopping from page
 * header to page header (no data copied, no CRC but the last granule page's), resynchronising on
 * the next checksummed page after anything that is no page. */
static int probe_tail(const uint8_t *tail, size_t tail_len, int64_t tail_offset, uint32_t serial,
                      audiosync_ogg_info *out, tail_facts *facts) {
    facts->last_granule = -1;
    facts->last_granule_offset = -1;
    facts->last_granule_seq = -1;
    facts->pages = 0;
    facts->page_bytes = 0;
    int partial = 0;
    int budget = 64;
    /* A window that starts inside the file starts inside a page: begin at the first real one. */
    size_t pos = tail_offset == 0 ? 0 : next_page(tail, tail_len, 0, &partial, &budget);
    partial = 0;
    size_t last_offset = 0;
    long last_length = 0;
    int untimed = 0;
    while (pos < tail_len) {
        long n = page_length_at(tail + pos, tail_len - pos);
        if (n == 0) {
            partial = 1;
            break;
        }
        if (n < 0) {
            size_t next = next_page(tail, tail_len, pos + 1, &partial, &budget);
            if (next == tail_len) {
                if (budget <= 0) return AUDIOSYNC_ERR_UNSUPPORTED; /* too many fake pages: ask the reference */
                if (!partial) out->flags |= AUDIOSYNC_OGG_TRAILING_BYTES;
                break;
            }
            out->flags |= AUDIOSYNC_OGG_SKIPPED_BYTES;
            pos = next;
            continue;
        }
        const uint8_t *h = tail + pos;
        int64_t page_offset = tail_offset + (int64_t)pos;
        if (le32(h + 14) != serial || ((h[5] & 0x02) && page_offset > 0)) {
            out->flags |= AUDIOSYNC_OGG_CHAINED;
        } else {
            facts->pages++;
            facts->page_bytes += n;
            int64_t granule = le64(h + 6);
            if (granule != -1) {
                facts->last_granule = granule;
                facts->last_granule_offset = page_offset;
                facts->last_granule_seq = (long)le32(h + 18);
                last_offset = pos;
                last_length = n;
                untimed = 0;
                if (h[5] & 0x04) out->flags |= AUDIOSYNC_OGG_EOS;
            } else {
                for (int i = 0; i < h[26]; i++) {
                    if (h[27 + i] < 255) untimed = 1; /* a packet ends on a page without a granule */
                }
            }
        }
        pos += (size_t)n;
    }
    if (partial) out->flags |= AUDIOSYNC_OGG_PARTIAL_PAGE;
    if (untimed) out->flags |= AUDIOSYNC_OGG_UNTIMED_TAIL;
    /* Only the page whose granule position we report has to be right to the bit. */
    if (facts->last_granule != -1 && !page_checks(tail + last_offset, last_length)) {
        return AUDIOSYNC_ERR_UNSUPPORTED;
    }
    return AUDIOSYNC_OK;
}

int audiosync_ogg_probe_fast(const uint8_t *head, size_t head_len, const uint8_t *tail, size_t tail_len,
                             int64_t tail_offset, audiosync_ogg_info *out) {
    if (out == NULL || (head == NULL && head_len > 0) || (tail == NULL && tail_len > 0) || tail_offset < 0) {
        return AUDIOSYNC_ERR_INVAL;
    }
    memset(out, 0, sizeof *out);
    out->links = 1;
    int64_t file_size = tail_offset + (int64_t)tail_len;
    int whole_file = (int64_t)head_len >= file_size;

    head_state st;
    memset(&st, 0, sizeof st);
    ogg_sync_init(&st.sync);
    int64_t first_audio_offset = -1;
    long first_audio_seq = -1;
    int rc = probe_head(&st, head, head_len, whole_file, out, &first_audio_offset, &first_audio_seq);
    uint32_t serial = st.stream_ready ? (uint32_t)st.stream.serialno : 0;
    /* Free everything the head allocated on every path; these calls accept cleared states. */
    if (st.stream_ready) ogg_stream_clear(&st.stream);
    if (st.vorbis_ready) {
        vorbis_comment_clear(&st.vc);
        vorbis_info_clear(&st.vi);
    }
    ogg_sync_clear(&st.sync);

    /* The tail's facts (cut, trailing bytes) matter even when the head declines. */
    tail_facts facts;
    int tail_rc = probe_tail(tail, tail_len, tail_offset, serial, out, &facts);
    if (rc != AUDIOSYNC_OK) return rc;
    if (tail_rc != AUDIOSYNC_OK) return tail_rc;

    if (out->flags & (AUDIOSYNC_OGG_CHAINED | AUDIOSYNC_OGG_SKIPPED_BYTES)) return AUDIOSYNC_ERR_UNSUPPORTED;
    if (facts.last_granule < 0 || facts.last_granule_offset < first_audio_offset) return AUDIOSYNC_ERR_UNSUPPORTED;
    if (facts.last_granule_seq < first_audio_seq) return AUDIOSYNC_ERR_UNSUPPORTED;
    if (!whole_file && tail_offset > 0 && facts.pages > 0) {
        /* A later link with the same serial number (a file concatenated with itself) shows no
           BOS page in a tail that starts after it. Such a file is about twice as long as its
           page count explains; a file whose pages merely vary in size is not, so ask the
           reference path only when the last page sits far beyond where the count puts it. */
        int64_t average = facts.page_bytes / facts.pages;
        int64_t expected = first_audio_offset + (int64_t)(facts.last_granule_seq - first_audio_seq) * average;
        if (facts.last_granule_offset > expected + expected / 2 + 65536) return AUDIOSYNC_ERR_UNSUPPORTED;
    }
    out->pcm_end = facts.last_granule;
    int64_t span = out->pcm_end - out->pcm_start;
    if (out->codec == AUDIOSYNC_CODEC_OPUS) {
        /* libopusfile (op_find_final_pcm_offset): a link must hold at least its pre-skip. */
        if (span < out->pre_skip) return AUDIOSYNC_ERR_UNSUPPORTED;
        out->total_samples = span - out->pre_skip;
    } else {
        out->total_samples = span < 0 ? 0 : span;
    }
    out->seconds = (double)out->total_samples / (double)out->granule_rate;
    return AUDIOSYNC_OK;
}
