#ifndef METERPROOF_CLIBPCAP_SHIM_H
#define METERPROOF_CLIBPCAP_SHIM_H
#include <pcap/pcap.h>
#endif
