package io.github.camelrtsp.sdp;

/** One kept {@code <type>=<value>} line, for writing the description back as text. */
record SdpLine(char type, String value) {

    void appendTo(StringBuilder sb) {
        sb.append(type).append('=').append(value).append("\r\n");
    }
}
