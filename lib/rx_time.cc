/* -*- c++ -*- */
/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "rx_time.h"
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace gr {
namespace cellscan {

rx_time rx_time::plus(double dt_s) const
{
    rx_time t;
    const double whole = std::floor(dt_s);
    t.secs = secs + static_cast<int64_t>(whole);
    t.frac_s = frac_s + (dt_s - whole);
    if (t.frac_s >= 1.0) {
        t.secs += 1;
        t.frac_s -= 1.0;
    }
    return t;
}

pmt::pmt_t rx_time::to_pmt() const
{
    const bool before_epoch = secs < 0;
    return pmt::make_tuple(pmt::from_uint64(before_epoch ? 0 : static_cast<uint64_t>(secs)),
                           pmt::from_double(before_epoch ? 0.0 : frac_s));
}

bool parse_iso8601(const char* text, rx_time* out)
{
    if (!text)
        return false;
    int year, mon, day, hour, min, sec, used = 0;
    if (std::sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &mon, &day, &hour, &min, &sec,
                    &used) != 6 ||
        used != 19)
        return false;
    if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60)
        return false;
    const char* p = text + used;

    double frac_s = 0.0;
    if (*p == '.') {
        const char* digits = p + 1;
        const char* end = digits;
        while (std::isdigit(static_cast<unsigned char>(*end)))
            end++;
        if (end == digits)
            return false;
        /* "0.<digits>" keeps every digit the file gives (sub-nanosecond in SigMF). */
        char buf[40] = "0.";
        size_t n = static_cast<size_t>(end - digits);
        if (n > sizeof buf - 3)
            n = sizeof buf - 3;
        for (size_t i = 0; i < n; i++)
            buf[2 + i] = digits[i];
        frac_s = std::strtod(buf, nullptr);
        if (frac_s >= 1.0) /* 0.99999999999999999 rounds up to 1 in a double */
            frac_s = std::nextafter(1.0, 0.0);
        p = end;
    }

    /* SigMF times are UTC ("Z"); the core has already refused anything else. */
    if (*p == 'Z')
        p++;
    if (*p != '\0')
        return false;

    struct tm tm = {};
    tm.tm_year = year - 1900;
    tm.tm_mon = mon - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = min;
    tm.tm_sec = sec;
    const time_t utc = timegm(&tm);
    out->secs = static_cast<int64_t>(utc);
    out->frac_s = frac_s;
    return true;
}

} // namespace cellscan
} // namespace gr
