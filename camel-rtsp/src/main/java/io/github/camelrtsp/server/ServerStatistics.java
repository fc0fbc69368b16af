package io.github.camelrtsp.server;

import java.util.concurrent.atomic.LongAdder;

/** Counters of an {@link RtspServer}, readable from any thread. */
public final class ServerStatistics {

    final LongAdder sessionsCreated = new LongAdder();
    final LongAdder sessionsTimedOut = new LongAdder();
    final LongAdder sessionsTornDown = new LongAdder();
    final LongAdder slowDisconnects = new LongAdder();
    final LongAdder keyFrameSkips = new LongAdder();
    final LongAdder droppedPackets = new LongAdder();
    final LongAdder receiverReports = new LongAdder();
    final LongAdder senderReports = new LongAdder();
    final LongAdder badRtcp = new LongAdder();
    final LongAdder rejectedPackets = new LongAdder();
    final LongAdder badRequests = new LongAdder();
    final LongAdder strayDatagrams = new LongAdder();
    final LongAdder refusedConnections = new LongAdder();
    final LongAdder authChallenges = new LongAdder();
    final LongAdder authFailures = new LongAdder();
    final LongAdder parametersNotUnderstood = new LongAdder();
    final LongAdder publishersStarted = new LongAdder();
    final LongAdder publishersRefused = new LongAdder();
    final LongAdder recordedPackets = new LongAdder();
    final LongAdder droppedRecordPackets = new LongAdder();

    ServerStatistics() {
    }

    /** Sessions created by SETUP. */
    public long sessionsCreated() {
        return sessionsCreated.sum();
    }

    /** Sessions torn down because neither a request nor RTCP came within the session timeout. */
    public long sessionsTimedOut() {
        return sessionsTimedOut.sum();
    }

    /** Sessions ended for any reason (TEARDOWN, timeout, connection closed, slow client, stream removed). */
    public long sessionsTornDown() {
        return sessionsTornDown.sum();
    }

    /** Connections closed because a session stayed behind longer than allowed. */
    public long slowDisconnects() {
        return slowDisconnects.sum();
    }

    /** Times a session fell behind and skipped ahead to the next key frame (or dropped an audio packet). */
    public long keyFrameSkips() {
        return keyFrameSkips.sum();
    }

    /** Packets not sent to a session because it was behind (including those skipped until the next key frame). */
    public long droppedPackets() {
        return droppedPackets.sum();
    }

    /** RTCP receiver reports (RR packets, and SR packets with report blocks) received from clients. */
    public long receiverReports() {
        return receiverReports.sum();
    }

    /** RTCP sender reports sent (one per track per session per interval). */
    public long senderReports() {
        return senderReports.sum();
    }

    /** RTCP packets from clients that could not be parsed. */
    public long badRtcp() {
        return badRtcp.sum();
    }

    /** Published packets refused because they were not RTP. */
    public long rejectedPackets() {
        return rejectedPackets.sum();
    }

    /** Requests answered with 400, or connections closed for unreadable input. */
    public long badRequests() {
        return badRequests.sum();
    }

    /** Datagrams received on the server's UDP ports from an address that belongs to no session (not read). */
    public long strayDatagrams() {
        return strayDatagrams.sum();
    }

    /** Connections closed at once because {@link RtspServerOptions#maxConnections()} were open. */
    public long refusedConnections() {
        return refusedConnections.sum();
    }

    /** Requests to a protected path without (usable) credentials, answered with 401 and a challenge. */
    public long authChallenges() {
        return authChallenges.sum();
    }

    /** Requests to a protected path with wrong credentials (user name, password, or a foreign nonce), answered 401. */
    public long authFailures() {
        return authFailures.sum();
    }

    /** SET_PARAMETER requests with a body, answered with 451 Parameter Not Understood. */
    public long parametersNotUnderstood() {
        return parametersNotUnderstood.sum();
    }

    /** Publishers that started to RECORD. */
    public long publishersStarted() {
        return publishersStarted.sum();
    }

    /** ANNOUNCE requests refused: path not open, path busy, or an SDP that is too large, malformed or has no media. */
    public long publishersRefused() {
        return publishersRefused.sum();
    }

    /** RTP packets received from recording publishers and handed on. */
    public long recordedPackets() {
        return recordedPackets.sum();
    }

    /**
     * Packets from publishers that were dropped: not RTP, on an interleaved channel or UDP address set up for no
     * track, or sent before RECORD.
     */
    public long droppedRecordPackets() {
        return droppedRecordPackets.sum();
    }

    @Override
    public String toString() {
        return "ServerStatistics[created=" + sessionsCreated() + ", timedOut=" + sessionsTimedOut() + ", tornDown="
               + sessionsTornDown() + ", slowDisconnects=" + slowDisconnects() + ", keyFrameSkips=" + keyFrameSkips()
               + ", dropped=" + droppedPackets() + ", receiverReports=" + receiverReports() + ", senderReports="
               + senderReports() + ", badRtcp=" + badRtcp() + ", rejected=" + rejectedPackets() + ", badRequests="
               + badRequests() + ", strayDatagrams=" + strayDatagrams() + ", refusedConnections=" + refusedConnections() + ", authChallenges=" + authChallenges()
               + ", authFailures=" + authFailures() + ", parametersNotUnderstood=" + parametersNotUnderstood()
               + ", publishersStarted=" + publishersStarted() + ", publishersRefused=" + publishersRefused()
               + ", recordedPackets=" + recordedPackets() + ", droppedRecordPackets=" + droppedRecordPackets() + "]";
    }
}
