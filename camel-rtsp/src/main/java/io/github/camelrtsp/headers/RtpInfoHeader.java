package io.github.camelrtsp.headers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The RTSP {@code RTP-Info} header (RFC 2326 section 12.33): per stream, the URL with the RTP sequence number and
 * timestamp of the first packet after PLAY, and sometimes the SSRC.
 *
 * <p>Tolerated: spaces, empty entries and a trailing {@code ;}; negative or out-of-range values (read as absent);
 * URLs containing {@code ;} or {@code ,} as long as what follows is not a {@code url}, {@code seq}, {@code rtptime}
 * or {@code ssrc} parameter; entries without {@code url}; quoted URLs.
 */
public final class RtpInfoHeader {

    private RtpInfoHeader() {
    }

    /**
     * One stream of an RTP-Info header.
     *
     * @param url     the stream URL as given (possibly relative), or {@code null}
     * @param seq     sequence number of the first packet, or {@code null}
     * @param rtptime RTP timestamp of the first packet, or {@code null} when absent or invalid (e.g. -1)
     * @param ssrc    the SSRC when given, or {@code null}
     */
    public record Entry(String url, Integer seq, Long rtptime, Long ssrc) {

        /** Returns the wire form of this entry, for example {@code url=trackID=1;seq=1;rtptime=0}. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            if (url != null) {
                sb.append("url=").append(url);
            }
            if (seq != null) {
                sb.append(sb.length() > 0 ? ";" : "").append("seq=").append(seq);
            }
            if (rtptime != null) {
                sb.append(sb.length() > 0 ? ";" : "").append("rtptime=").append(rtptime);
            }
            if (ssrc != null) {
                sb.append(sb.length() > 0 ? ";" : "").append(String.format("ssrc=%08x", ssrc));
            }
            return sb.toString();
        }
    }

    /** Parses the header value; never fails, unreadable parts are left out. */
    public static List<Entry> parse(String value) {
        Objects.requireNonNull(value, "RTP-Info header value");
        List<Entry> entries = new ArrayList<>();
        Builder current = null;
        char delimiter = ',';
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i <= value.length(); i++) {
            char c = i < value.length() ? value.charAt(i) : ',';
            if (c == '"') {
                quoted = !quoted;
            }
            if (i < value.length() && (quoted || c != ',' && c != ';')) {
                continue;
            }
            current = segment(value.substring(start, i).trim(), delimiter, current, entries);
            delimiter = c;
            start = i + 1;
        }
        if (current != null) {
            entries.add(current.build());
        }
        return Collections.unmodifiableList(entries);
    }

    /** Returns the wire form of the entries, separated by commas. */
    public static String format(List<Entry> entries) {
        List<String> parts = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            parts.add(e.toString());
        }
        return String.join(",", parts);
    }

    private static Builder segment(String seg, char delimiter, Builder current, List<Entry> entries) {
        if (seg.isEmpty()) {
            return current;
        }
        int eq = seg.indexOf('=');
        String key = (eq < 0 ? seg : seg.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
        String val = eq < 0 ? null : seg.substring(eq + 1).trim();
        if (key.equals("url")) {
            if (current != null) {
                entries.add(current.build());
            }
            Builder b = new Builder();
            b.url = HeaderTokens.unquote(val);
            return b;
        }
        boolean known = key.equals("seq") || key.equals("rtptime") || key.equals("ssrc");
        if (known) {
            if (current == null || delimiter == ',' && current.has(key)) {
                if (current != null) {
                    entries.add(current.build());
                }
                current = new Builder();
            }
            current.set(key, val);
            return current;
        }
        if (current != null && current.url != null && !current.paramsStarted) {
            // a ';' or ',' that belongs to the URL
            current.url = current.url + delimiter + seg;
        }
        return current;
    }

    private static final class Builder {
        String url;
        boolean paramsStarted;
        boolean seqSeen;
        boolean rtptimeSeen;
        boolean ssrcSeen;
        Integer seq;
        Long rtptime;
        Long ssrc;

        boolean has(String key) {
            return key.equals("seq") ? seqSeen : key.equals("rtptime") ? rtptimeSeen : ssrcSeen;
        }

        void set(String key, String val) {
            paramsStarted = true;
            String v = val == null ? null : HeaderTokens.unquote(val);
            if (key.equals("seq") && !seqSeen) {
                seqSeen = true;
                Long n = HeaderTokens.decimal(v, 0, 0xFFFF);
                seq = n == null ? null : n.intValue();
            } else if (key.equals("rtptime") && !rtptimeSeen) {
                rtptimeSeen = true;
                rtptime = HeaderTokens.decimal(v, 0, 0xFFFFFFFFL);
            } else if (key.equals("ssrc") && !ssrcSeen) {
                ssrcSeen = true;
                ssrc = HeaderTokens.hex32(v);
            }
        }

        Entry build() {
            return new Entry(url, seq, rtptime, ssrc);
        }
    }
}
