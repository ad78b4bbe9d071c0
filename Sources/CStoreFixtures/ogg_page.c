/* Ogg page checksums for the fixture writer and the page editor. */
#include "CStoreFixtures.h"

#include <ogg/ogg.h>

void audiosync_ogg_page_set_checksum(uint8_t *header, size_t header_len, uint8_t *body, size_t body_len) {
    ogg_page page;
    page.header = header;
    page.header_len = (long)header_len;
    page.body = body;
    page.body_len = (long)body_len;
    /* libogg: ogg_page_checksum_set zeroes the CRC field, then writes the page's CRC there. */
    ogg_page_checksum_set(&page);
}
