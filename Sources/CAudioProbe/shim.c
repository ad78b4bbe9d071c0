#include "CAudioProbe.h"
int audiosync_probe_version(void) { return 1; }
