/* libFuzzer harness for the probe shim: every Ogg entry point on arbitrary bytes.
 *
 * Build and run: fuzz/run-fuzzer.sh [SECONDS]  (see docs/audio-probe.md). */
#include "CAudioProbe.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    audiosync_ogg_info fast, scratch, reference;
    /* The fast path as the probe calls it: the first 4 KiB and the last 64 KiB, and the whole
       buffer as both; then a head cut at a point the input chooses. */
    size_t head = size < 4096 ? size : 4096;
    size_t tail = size < 65536 ? size : 65536;
    (void)audiosync_ogg_probe_fast(data, head, data + size - tail, tail, (int64_t)(size - tail), &scratch);
    int rc = audiosync_ogg_probe_fast(data, size, data, size, 0, &fast);
    if (size > 2) {
        size_t cut = (size_t)data[size - 1] * size / 256;
        (void)audiosync_ogg_probe_fast(data, cut, data, size, 0, &scratch);
    }
    int ro = audiosync_ogg_probe_reference_memory(AUDIOSYNC_CODEC_OPUS, data, size, &reference);
    /* Where both paths succeed on the same stream, they must agree to the sample (except on an
       untimed tail, which the fast path flags as an estimate). */
    if (rc == AUDIOSYNC_OK && ro == AUDIOSYNC_OK && fast.codec == AUDIOSYNC_CODEC_OPUS &&
        !(fast.flags & AUDIOSYNC_OGG_UNTIMED_TAIL) &&
        fast.total_samples != reference.total_samples) {
        __builtin_trap();
    }
    (void)audiosync_ogg_probe_reference_memory(AUDIOSYNC_CODEC_VORBIS, data, size, &reference);
    return 0;
}
