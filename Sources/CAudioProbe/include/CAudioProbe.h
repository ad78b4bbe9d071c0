#ifndef AUDIOSYNC_CAUDIOPROBE_H
#define AUDIOSYNC_CAUDIOPROBE_H
int audiosync_probe_version(void);
#endif
