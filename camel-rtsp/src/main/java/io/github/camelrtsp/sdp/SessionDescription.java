package io.github.camelrtsp.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SDP session description (RFC 8866, formerly RFC 4566) as IP cameras write it, read tolerantly. Immutable.
 *
 * <p>
 * {@link #parse(String)} accepts CRLF, LF or CR line ends, blank lines, white space around lines, a missing last
 * line end, missing {@code v=}, {@code o=} or {@code s=} lines, attributes in any order, upper-case line types and
 * line types it does not know (kept, and written back by {@link #toString()}). A line that is not
 * {@code <letter>=<value>} or contains control characters is skipped and counted in {@link #skippedLines()}.
 */
public final class SessionDescription {

    private static final Logger LOG = LoggerFactory.getLogger(SessionDescription.class);

    /** Longest text accepted, in characters (64 KiB). */
    public static final int MAX_TEXT_LENGTH = 64 * 1024;
    /** Most lines accepted, blank lines included. */
    public static final int MAX_LINES = 10_000;
    /** Most media sections ({@code m=} lines) accepted. */
    public static final int MAX_MEDIA = 64;

    private static final int MAX_LOGGED_SKIPS = 10;

    private final String origin;
    private final String sessionName;
    private final String connection;
    private final Integer bandwidthKbps;
    private final List<SdpLine> lines;
    private final List<SdpAttribute> attributes;
    private final List<MediaDescription> media;
    private final int skippedLines;

    private SessionDescription(Parser p) {
        this.origin = p.origin;
        this.sessionName = p.sessionName;
        this.connection = p.session.connection;
        this.bandwidthKbps = p.session.bandwidthKbps;
        this.lines = List.copyOf(p.session.lines);
        this.attributes = List.copyOf(p.session.attributes);
        String sessionDirection = null;
        for (SdpAttribute a : attributes) {
            if (a.value() == null && MediaDescription.isDirection(a.name())) {
                sessionDirection = a.name().toLowerCase(Locale.ROOT);
                break;
            }
        }
        List<MediaDescription> list = new ArrayList<>(p.media.size());
        for (Section s : p.media) {
            list.add(new MediaDescription(s.mediaLine, s.lines, s.attributes, s.connection, s.bandwidthKbps,
                    connection, sessionDirection));
        }
        this.media = List.copyOf(list);
        this.skippedLines = p.skipped;
    }

    /**
     * Reads an SDP text.
     *
     * @param sdp the text (a DESCRIBE body)
     * @return the description
     * @throws SdpException when the text is null or has no {@code v=}, {@code o=}, {@code s=} or {@code m=} line
     *                      (empty, binary data, an HTML error page...), or when it exceeds {@link #MAX_TEXT_LENGTH}
     *                      characters, {@link #MAX_LINES} lines or {@link #MAX_MEDIA} media sections
     */
    public static SessionDescription parse(String sdp) {
        if (sdp == null) {
            throw new SdpException("no SDP text (null)");
        }
        if (sdp.length() > MAX_TEXT_LENGTH) {
            throw new SdpException("SDP text too long: " + sdp.length() + " characters, the limit is "
                    + MAX_TEXT_LENGTH);
        }
        Parser p = new Parser();
        int n = sdp.length();
        int pos = 0;
        int lineNumber = 0;
        while (pos < n) {
            int end = pos;
            char c = 0;
            while (end < n && (c = sdp.charAt(end)) != '\n' && c != '\r') {
                end++;
            }
            lineNumber++;
            if (lineNumber > MAX_LINES) {
                throw new SdpException("SDP text has more than " + MAX_LINES + " lines");
            }
            p.line(sdp.substring(pos, end).trim(), lineNumber);
            pos = end + (c == '\r' && end + 1 < n && sdp.charAt(end + 1) == '\n' ? 2 : 1);
        }
        if (!p.usable) {
            if (sdp.isBlank()) {
                throw new SdpException("SDP text is empty");
            }
            throw new SdpException("no SDP content: none of the " + lineNumber + " line(s) is a v=, o=, s= or m= line"
                    + (p.skipped > 0 ? " (" + p.skipped + " malformed line(s) skipped)" : ""));
        }
        if (p.skipped > 0) {
            LOG.info("SDP read with {} malformed line(s) skipped", p.skipped);
        }
        return new SessionDescription(p);
    }

    /** The value of the {@code o=} line as written, or null when there is none. */
    public String origin() {
        return origin;
    }

    /** The value of the {@code s=} line as written (trimmed), or null when there is none. */
    public String sessionName() {
        return sessionName;
    }

    /** The value of the session-level {@code c=} line, or null. */
    public String connection() {
        return connection;
    }

    /** The value of the session-level {@code b=AS:} line in kbit/s, or null. */
    public Integer bandwidthKbps() {
        return bandwidthKbps;
    }

    /** The session-level {@code a=} lines (those before the first {@code m=}), in written order. */
    public List<SdpAttribute> attributes() {
        return attributes;
    }

    /**
     * The value of the first session-level attribute with this name (compared without regard to case); {@code ""}
     * for a flag attribute such as {@code a=recvonly}; null when there is none.
     */
    public String attribute(String name) {
        return SdpAttribute.valueOf(attributes, name);
    }

    /** The session-level {@code a=control} value as written ({@code *}, relative or absolute), or null. */
    public String control() {
        return SdpAttribute.controlOf(attributes);
    }

    /** The session-level {@code a=range} value as written (for example {@code npt=0-} or {@code npt=now-}), or null. */
    public String range() {
        return attribute("range");
    }

    /** The media sections in written order. */
    public List<MediaDescription> media() {
        return media;
    }

    /** How many lines were skipped as malformed (not {@code <letter>=<value>}, control characters, empty name). */
    public int skippedLines() {
        return skippedLines;
    }

    /**
     * The description as SDP text: every kept line in written order, trimmed, with CRLF line ends. Skipped lines are
     * left out, so {@code parse(toString())} gives an equal description with no skipped lines.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(256 + 48 * lines.size());
        for (SdpLine line : lines) {
            line.appendTo(sb);
        }
        for (MediaDescription m : media) {
            m.appendTo(sb);
        }
        return sb.toString();
    }

    /** The lines of one section while it is read. */
    private static final class Section {
        final String mediaLine;
        final List<SdpLine> lines = new ArrayList<>();
        final List<SdpAttribute> attributes = new ArrayList<>();
        String connection;
        Integer bandwidthKbps;

        Section(String mediaLine) {
            this.mediaLine = mediaLine;
        }
    }

    /** Reading state. */
    private static final class Parser {
        final Section session = new Section(null);
        final List<Section> media = new ArrayList<>();
        Section current = session;
        String origin;
        String sessionName;
        boolean usable;
        int skipped;

        void line(String line, int number) {
            if (line.isEmpty()) {
                return;
            }
            if (hasControlCharacter(line)) {
                skip(line, number, "control character");
                return;
            }
            int eq = line.indexOf('=');
            if (eq < 1) {
                skip(line, number, "not <type>=<value>");
                return;
            }
            String typeText = eq == 1 ? line.substring(0, 1) : line.substring(0, eq).trim();
            char type = typeText.length() == 1 ? Character.toLowerCase(typeText.charAt(0)) : 0;
            if (type < 'a' || type > 'z') {
                skip(line, number, "type is not a single letter");
                return;
            }
            String value = line.substring(eq + 1).trim();
            switch (type) {
                case 'm' -> {
                    if (value.isEmpty()) {
                        skip(line, number, "empty media line");
                        return;
                    }
                    if (media.size() == MAX_MEDIA) {
                        throw new SdpException("SDP has more than " + MAX_MEDIA + " media sections");
                    }
                    current = new Section(value);
                    media.add(current);
                    usable = true;
                    return;
                }
                case 'a' -> {
                    SdpAttribute attribute = SdpAttribute.parse(value);
                    if (attribute == null) {
                        skip(line, number, "attribute without a name");
                        return;
                    }
                    current.attributes.add(attribute);
                }
                case 'c' -> {
                    if (current.connection == null && !value.isEmpty()) {
                        current.connection = value;
                    }
                }
                case 'b' -> {
                    if (current.bandwidthKbps == null) {
                        current.bandwidthKbps = applicationSpecificBandwidth(value);
                    }
                }
                case 'v' -> usable = true;
                case 'o' -> {
                    usable = true;
                    if (current == session && origin == null) {
                        origin = value;
                    }
                }
                case 's' -> {
                    usable = true;
                    if (current == session && sessionName == null) {
                        sessionName = value;
                    }
                }
                default -> {
                    // other types (t, e, u, i, k, z, r, unknown) are only kept for toString()
                }
            }
            current.lines.add(new SdpLine(type, value));
        }

        private static Integer applicationSpecificBandwidth(String value) {
            int colon = value.indexOf(':');
            if (colon < 0 || !value.substring(0, colon).trim().equalsIgnoreCase("AS")) {
                return null;
            }
            int kbps = RtpMap.unsignedInt(value.substring(colon + 1).trim());
            if (kbps < 0) {
                LOG.debug("b=AS with an unusable value ignored: '{}'", value);
                return null;
            }
            return kbps;
        }

        private void skip(String line, int number, String reason) {
            skipped++;
            if (skipped <= MAX_LOGGED_SKIPS) {
                LOG.debug("SDP line {} skipped ({}): '{}'", number, reason, printable(line));
            }
        }

        private static boolean hasControlCharacter(String line) {
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    return true;
                }
            }
            return false;
        }

        private static String printable(String line) {
            int len = Math.min(line.length(), 60);
            StringBuilder sb = new StringBuilder(len + 3);
            for (int i = 0; i < len; i++) {
                char c = line.charAt(i);
                sb.append(c < 0x20 || c == 0x7f ? '?' : c);
            }
            if (line.length() > len) {
                sb.append("...");
            }
            return sb.toString();
        }
    }
}
