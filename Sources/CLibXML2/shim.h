#ifndef METERPROOF_CLIBXML2_SHIM_H
#define METERPROOF_CLIBXML2_SHIM_H
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#endif
