/* A small C driver over the probe shim (Sources/CAudioProbe), for three jobs:
 *   probe-driver --reference FILE...  one JSON line per file: libopusfile/libvorbisfile's answer
 *   probe-driver --fast FILE...       one JSON line per file: the fast path's answer
 *   probe-driver --stress FILE...     every path on every file, on prefixes (cut at each of up to
 *                                     STRESS_CUTS=400 points) and with garbage appended; for sanitizers.
 * It reads each file whole: it is a test tool for small fixtures, not the probe. */
#include "CAudioProbe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t *read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    size_t capacity = 1 << 16, used = 0;
    uint8_t *data = malloc(capacity);
    for (;;) {
        if (data == NULL) break;
        if (used == capacity) {
            uint8_t *grown = realloc(data, capacity *= 2);
            if (grown == NULL) {
                free(data);
                data = NULL;
                break;
            }
            data = grown;
        }
        size_t got = fread(data + used, 1, capacity - used, f);
        used += got;
        if (got == 0) break;
    }
    fclose(f);
    *size = used;
    return data;
}

static int run_fast(const uint8_t *data, size_t size, audiosync_ogg_info *info) {
    size_t head = size < 4096 ? size : 4096;
    size_t tail = size < 65536 ? size : 65536;
    return audiosync_ogg_probe_fast(data, head, data + size - tail, tail, (int64_t)(size - tail), info);
}

static void print(const char *path, const char *path_kind, int rc, const audiosync_ogg_info *info) {
    printf("{\"file\":\"%s\",\"path\":\"%s\",\"status\":%d,\"codec\":%d,\"pre_skip\":%d,\"flags\":%u,"
           "\"links\":%d,\"total_samples\":%lld,\"seconds\":%.9f}\n",
           path, path_kind, rc, info->codec, info->pre_skip, info->flags, info->links,
           (long long)info->total_samples, info->seconds);
}

/* Every entry point on one buffer; results are only checked for consistency, since the point is
 * that the sanitizers see every byte the shim touches. */
static const char *current_file = "";

static int exercise(const uint8_t *data, size_t size) {
    audiosync_ogg_info fast, opus, vorbis;
    int rc = run_fast(data, size, &fast);
    int ro = audiosync_ogg_probe_reference_memory(AUDIOSYNC_CODEC_OPUS, data, size, &opus);
    int rv = audiosync_ogg_probe_reference_memory(AUDIOSYNC_CODEC_VORBIS, data, size, &vorbis);
    const audiosync_ogg_info *ref = fast.codec == AUDIOSYNC_CODEC_VORBIS ? &vorbis : &opus;
    int rr = fast.codec == AUDIOSYNC_CODEC_VORBIS ? rv : ro;
    /* On an untimed tail (last granule -1) the paths differ by design: libvorbisfile takes the -1
       page as the end (0 samples), the fast path the last valid granule, flagged as an estimate. */
    if (rc == AUDIOSYNC_OK && rr == AUDIOSYNC_OK && !(fast.flags & AUDIOSYNC_OGG_UNTIMED_TAIL) &&
        fast.total_samples != ref->total_samples) {
        fprintf(stderr, "disagreement: %s at %zu bytes: fast %lld, reference %lld\n", current_file, size,
                (long long)fast.total_samples, (long long)ref->total_samples);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s --reference|--fast|--stress FILE...\n", argv[0]);
        return 64;
    }
    const char *mode = argv[1];
    int failures = 0;
    long runs = 0;
    for (int i = 2; i < argc; i++) {
        size_t size = 0;
        uint8_t *data = read_file(argv[i], &size);
        if (data == NULL) {
            fprintf(stderr, "cannot read %s\n", argv[i]);
            return 1;
        }
        audiosync_ogg_info info;
        if (strcmp(mode, "--reference") == 0) {
            int rc = audiosync_ogg_probe_reference_memory(AUDIOSYNC_CODEC_OPUS, data, size, &info);
            if (rc == AUDIOSYNC_ERR_NOT_FORMAT || rc == AUDIOSYNC_ERR_BAD_HEADER) {
                rc = audiosync_ogg_probe_reference_memory(AUDIOSYNC_CODEC_VORBIS, data, size, &info);
            }
            print(argv[i], "reference", rc, &info);
        } else if (strcmp(mode, "--fast") == 0) {
            int rc = run_fast(data, size, &info);
            print(argv[i], "fast", rc, &info);
        } else {
            /* Cut at up to `cuts` points spread over the file (STRESS_CUTS, default 400). */
            current_file = argv[i];
            const char *cuts_text = getenv("STRESS_CUTS");
            size_t cuts = cuts_text != NULL && atoi(cuts_text) > 0 ? (size_t)atoi(cuts_text) : 400;
            size_t step = size / cuts + 1;
            for (size_t cut = 0; cut <= size; cut += step) {
                uint8_t *copy = malloc(cut ? cut : 1);
                if (copy == NULL) return 1;
                memcpy(copy, data, cut);
                failures += exercise(copy, cut);
                runs++;
                free(copy);
            }
            uint8_t *longer = malloc(size + 3000);
            if (longer == NULL) return 1;
            memcpy(longer, data, size);
            unsigned state = 12345;
            for (size_t k = 0; k < 3000; k++) longer[size + k] = (uint8_t)((state = state * 1103515245u + 12345u) >> 16);
            failures += exercise(longer, size + 3000);
            memcpy(longer + size, "OggS", 4);
            failures += exercise(longer, size + 30);
            runs += 2;
            free(longer);
            failures += exercise(data, size);
            runs++;
        }
        free(data);
    }
    if (strcmp(mode, "--stress") == 0) {
        printf("stress: %ld runs, %d fast/reference disagreements\n", runs, failures);
    }
    return failures == 0 ? 0 : 2;
}
