package io.github.camelrtsp.headers;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The RTSP {@code Range} header (RFC 2326 section 12.29): {@code npt=0-}, {@code npt=now-}, {@code npt=10.5-20},
 * {@code clock=20230101T100000Z-}, {@code smpte=10:07:33-}, optionally followed by {@code ;time=...}. Start and end
 * are kept as written. Immutable.
 */
public final class RangeHeader {

    private final String unit;
    private final String start;
    private final String end;
    private final String time;

    private RangeHeader(String unit, String start, String end, String time) {
        this.unit = unit;
        this.start = start;
        this.end = end;
        this.time = time;
    }

    /**
     * Parses a Range value.
     *
     * @throws IllegalArgumentException if it is not {@code unit=[start]-[end]}
     */
    public static RangeHeader parse(String value) {
        Objects.requireNonNull(value, "Range header value");
        List<String> parts = HeaderTokens.split(value, ';');
        String spec = parts.isEmpty() ? "" : parts.get(0);
        int eq = spec.indexOf('=');
        String unit = eq < 0 ? "" : spec.substring(0, eq).trim();
        String range = eq < 0 ? "" : spec.substring(eq + 1).trim();
        int dash = separator(unit, range);
        if (unit.isEmpty() || dash < 0) {
            throw new IllegalArgumentException("Range header is not of the form unit=start-end: '" + value.trim()
                    + "'");
        }
        String time = null;
        for (int i = 1; i < parts.size(); i++) {
            String p = parts.get(i);
            int peq = p.indexOf('=');
            if (peq > 0 && p.substring(0, peq).trim().equalsIgnoreCase("time")) {
                time = p.substring(peq + 1).trim();
            }
        }
        return new RangeHeader(unit, emptyToNull(range.substring(0, dash)), emptyToNull(range.substring(dash + 1)),
                time);
    }

    /**
     * Creates a range; {@code start} or {@code end} may be {@code null} (open).
     *
     * @throws IllegalArgumentException if a part contains characters that would break the header
     */
    public static RangeHeader of(String unit, String start, String end) {
        Objects.requireNonNull(unit, "unit");
        for (String part : new String[] {unit, start, end}) {
            if (part != null && !part.matches("[A-Za-z0-9.:,+TZ]*")) {
                throw new IllegalArgumentException("invalid Range part: '" + part + "'");
            }
        }
        if (unit.isEmpty()) {
            throw new IllegalArgumentException("Range unit is empty");
        }
        return new RangeHeader(unit, emptyToNull(start), emptyToNull(end), null);
    }

    /** Returns {@code npt=<seconds>-} with millisecond precision, for example {@code npt=10.500-}. */
    public static RangeHeader nptFrom(double seconds) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("npt start must be a finite, non-negative number: " + seconds);
        }
        return of("npt", BigDecimal.valueOf(seconds).setScale(3, RoundingMode.HALF_UP).toPlainString(), null);
    }

    /** Returns {@code npt=now-} (live position). */
    public static RangeHeader nptNow() {
        return of("npt", "now", null);
    }

    /** Returns the unit as written ({@code npt}, {@code clock}, {@code smpte}...). */
    public String unit() {
        return unit;
    }

    /** Returns the start as written, or {@code null} when open. */
    public String start() {
        return start;
    }

    /** Returns the end as written, or {@code null} when open. */
    public String end() {
        return end;
    }

    /** Returns the {@code time} parameter (when the range takes effect), or {@code null}. */
    public String time() {
        return time;
    }

    /** Returns whether the unit is {@code npt}. */
    public boolean isNpt() {
        return unit.equalsIgnoreCase("npt");
    }

    /**
     * Returns the npt start in seconds ({@code 12.5}, {@code 1:02:03.5}), or {@code null} if the unit is not npt,
     * the start is open or {@code now}, or unreadable.
     */
    public Double nptStartSeconds() {
        return isNpt() ? nptSeconds(start) : null;
    }

    /** Returns the npt end in seconds, or {@code null} as for {@link #nptStartSeconds()}. */
    public Double nptEndSeconds() {
        return isNpt() ? nptSeconds(end) : null;
    }

    /** Returns the wire form, for example {@code npt=0.000-}. */
    public String format() {
        return unit + '=' + (start == null ? "" : start) + '-' + (end == null ? "" : end)
                + (time == null ? "" : ";time=" + time);
    }

    /** Same as {@link #format()}. */
    @Override
    public String toString() {
        return format();
    }

    /** The dash between start and end; extended ISO 8601 clock values contain dashes of their own. */
    private static int separator(String unit, String range) {
        if (unit.equalsIgnoreCase("clock")) {
            int z = range.toUpperCase(Locale.ROOT).indexOf("Z-");
            if (z >= 0) {
                return z + 1;
            }
            if (range.startsWith("-")) {
                return 0;
            }
            int dash = range.indexOf('-');
            // "2023-01-01T10:00:00Z" without end and without the Z- pattern: the dash must be the last character
            return dash >= 0 && range.indexOf('T') > dash ? range.lastIndexOf('-') : dash;
        }
        return range.indexOf('-');
    }

    private static String emptyToNull(String s) {
        String t = s == null ? "" : s.trim();
        return t.isEmpty() ? null : t;
    }

    private static Double nptSeconds(String v) {
        if (v == null || !v.matches("[0-9]+(:[0-9]{1,2}){0,2}(\\.[0-9]*)?")) {
            return null;
        }
        String[] hms = v.split(":");
        double seconds = 0;
        for (String part : hms) {
            seconds = seconds * 60 + Double.parseDouble(part);
        }
        return seconds;
    }
}
