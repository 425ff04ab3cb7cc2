// SPDX-License-Identifier: GPL-2.0
/*
 * chimney: the tracepoints' definitions (see chimney_trace.h).
 */
#define CREATE_TRACE_POINTS
#include "chimney_trace.h"
