#ifndef METERPROOF_CLIBXML2_SHIM_H
#define METERPROOF_CLIBXML2_SHIM_H
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

/* xmlFree is a global function-pointer variable, which Swift 6 refuses to touch from
   concurrent code ("not concurrency-safe because it involves shared mutable state").
   Call this plain function instead. */
static inline void meterproof_xmlFree(void *pointer) { xmlFree(pointer); }
#endif
