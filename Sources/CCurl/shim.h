#ifndef INTAKE_CCURL_SHIM_H
#define INTAKE_CCURL_SHIM_H
#include <curl/curl.h>

// curl_easy_setopt / curl_easy_getinfo are variadic; one typed wrapper per argument type.
static inline CURLcode intake_curl_set_long(CURL *c, CURLoption o, long v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode intake_curl_set_string(CURL *c, CURLoption o, const char *v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode intake_curl_set_pointer(CURL *c, CURLoption o, void *v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode intake_curl_set_off(CURL *c, CURLoption o, curl_off_t v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode intake_curl_get_long(CURL *c, CURLINFO i, long *v) { return curl_easy_getinfo(c, i, v); }
static inline CURLcode intake_curl_get_double(CURL *c, CURLINFO i, double *v) { return curl_easy_getinfo(c, i, v); }
// Callbacks are function pointers, which Swift cannot pass through `void *`; typed setters keep the
// conversion in C where it is well defined.
static inline CURLcode intake_curl_set_write_callback(CURL *c, CURLoption o, curl_write_callback f) { return curl_easy_setopt(c, o, f); }
static inline CURLcode intake_curl_set_xferinfo_callback(CURL *c, curl_xferinfo_callback f) { return curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, f); }
static inline CURLcode intake_curl_set_debug_callback(CURL *c, curl_debug_callback f) { return curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, f); }
#endif
