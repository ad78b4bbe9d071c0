/* opusfile.h includes <opus_multistream.h> as pkg-config's -I/usr/include/opus would find it;
   SwiftPM takes no absolute include paths without unsafeFlags, so forward to the real header. */
#include <opus/opus_multistream.h>
