package io.github.camelrtsp.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.github.camelrtsp.headers.AuthenticateHeader;

/**
 * The server side of RTSP authentication: writes {@code WWW-Authenticate} challenges and checks {@code Authorization}
 * header values against expected {@link Credentials}. Supports Basic (RFC 7617) and Digest MD5 (RFC 2617, with
 * {@code qop=auth} offered, and RFC 2069 responses without qop accepted). Nonces carry their creation time and an
 * HMAC with a per-instance random key, so no nonce table is kept; a nonce older than the lifetime is answered with
 * {@code stale=true}. Nonce counts are not tracked and the Digest {@code uri} parameter is hashed as sent, not
 * compared with the request line (a captured Digest response can be replayed while its nonce lives). No method
 * returns or logs the password. Thread safe.
 */
public final class ServerAuthenticator {

    /** The outcome of {@link #verify}. */
    public enum Result {
        /** The credentials match. */
        OK,
        /** No {@code Authorization} header, or one of a scheme that is not offered. */
        MISSING,
        /** Unreadable, wrong user name or password, or a nonce this server did not issue. */
        WRONG,
        /** Digest with the right password but an expired nonce: challenge again with {@code stale=true}. */
        STALE
    }

    private static final int MAC_BYTES = 12;
    private static final HexFormat HEX = HexFormat.of();

    private final String realm;
    private final boolean basic;
    private final boolean digest;
    private final long nonceLifetimeMillis;
    private final LongSupplier clock;
    private final SecretKeySpec key;

    /**
     * Creates an authenticator.
     *
     * @param realm         the realm announced in challenges (printable ASCII without quotes or backslashes)
     * @param basic         offer Basic
     * @param digest        offer Digest MD5
     * @param nonceLifetime how long a Digest nonce is accepted
     * @throws IllegalArgumentException if neither scheme is offered, the realm is unusable or the lifetime not positive
     */
    public ServerAuthenticator(String realm, boolean basic, boolean digest, Duration nonceLifetime) {
        this(realm, basic, digest, nonceLifetime, System::currentTimeMillis);
    }

    ServerAuthenticator(String realm, boolean basic, boolean digest, Duration nonceLifetime, LongSupplier clock) {
        Objects.requireNonNull(realm, "realm");
        if (!realm.matches("[\\x20-\\x7E&&[^\"\\\\]]+")) {
            throw new IllegalArgumentException("realm must be printable ASCII without quotes or backslashes");
        }
        if (!basic && !digest) {
            throw new IllegalArgumentException("offer at least one of Basic and Digest");
        }
        if (nonceLifetime.isNegative() || nonceLifetime.isZero()) {
            throw new IllegalArgumentException("nonce lifetime must be positive: " + nonceLifetime);
        }
        this.realm = realm;
        this.basic = basic;
        this.digest = digest;
        this.nonceLifetimeMillis = nonceLifetime.toMillis();
        this.clock = clock;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** The realm. */
    public String realm() {
        return realm;
    }

    /**
     * The {@code WWW-Authenticate} values of a 401 answer, Digest first (with a fresh nonce), then Basic.
     *
     * @param stale true to mark the Digest challenge {@code stale=true} (the password was right, the nonce expired)
     */
    public List<String> challenges(boolean stale) {
        List<String> values = new ArrayList<>(2);
        if (digest) {
            values.add("Digest realm=\"" + realm + "\", nonce=\"" + newNonce() + "\", algorithm=MD5, qop=\"auth\""
                       + (stale ? ", stale=TRUE" : ""));
        }
        if (basic) {
            values.add("Basic realm=\"" + realm + "\"");
        }
        return values;
    }

    /**
     * Checks an {@code Authorization} header value.
     *
     * @param authorization the header value, or null when absent
     * @param method        the request method (Digest hashes it)
     * @param expected      the user name and password of the resource
     */
    public Result verify(String authorization, String method, Credentials expected) {
        if (authorization == null || authorization.isBlank()) {
            return Result.MISSING;
        }
        AuthenticateHeader h;
        try {
            h = AuthenticateHeader.parse(authorization);
        } catch (IllegalArgumentException e) {
            return Result.WRONG;
        }
        if (h.isScheme("Basic")) {
            return basic ? verifyBasic(h, expected) : Result.MISSING;
        }
        if (h.isScheme("Digest")) {
            return digest ? verifyDigest(h, method, expected) : Result.MISSING;
        }
        return Result.MISSING;
    }

    private static Result verifyBasic(AuthenticateHeader h, Credentials expected) {
        String token = h.token68();
        if (token == null) {
            return Result.WRONG;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return Result.WRONG;
        }
        byte[] want = (expected.username() + ":" + expected.password()).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(decoded, want) ? Result.OK : Result.WRONG;
    }

    private Result verifyDigest(AuthenticateHeader h, String method, Credentials expected) {
        String username = h.param("username");
        String nonce = h.param("nonce");
        String uri = h.param("uri");
        String response = h.param("response");
        String algorithm = h.param("algorithm");
        if (username == null || nonce == null || uri == null || response == null
                || !realm.equals(h.param("realm"))
                || algorithm != null && !algorithm.equalsIgnoreCase("MD5")) {
            return Result.WRONG;
        }
        Long issued = nonceTime(nonce);
        if (issued == null) {
            return Result.WRONG;
        }
        String ha1 = md5(expected.username() + ":" + realm + ":" + expected.password());
        String ha2 = md5(method + ":" + uri);
        String qop = h.param("qop");
        String want;
        if (qop == null) {
            want = md5(ha1 + ":" + nonce + ":" + ha2);
        } else if (qop.equalsIgnoreCase("auth") && h.param("nc") != null && h.param("cnonce") != null) {
            want = md5(ha1 + ":" + nonce + ":" + h.param("nc") + ":" + h.param("cnonce") + ":auth:" + ha2);
        } else {
            return Result.WRONG;
        }
        boolean match = MessageDigest.isEqual(want.getBytes(StandardCharsets.US_ASCII),
                response.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))
                         & MessageDigest.isEqual(username.getBytes(StandardCharsets.UTF_8),
                expected.username().getBytes(StandardCharsets.UTF_8));
        if (!match) {
            return Result.WRONG;
        }
        long age = clock.getAsLong() - issued;
        return age < 0 || age > nonceLifetimeMillis ? Result.STALE : Result.OK;
    }

    private String newNonce() {
        byte[] time = ByteBuffer.allocate(8).putLong(clock.getAsLong()).array();
        return HEX.formatHex(time) + HEX.formatHex(mac(time));
    }

    /** The creation time of a nonce this instance issued, or null for any other string. */
    private Long nonceTime(String nonce) {
        if (nonce.length() != 16 + 2 * MAC_BYTES) {
            return null;
        }
        byte[] time;
        byte[] tag;
        try {
            time = HEX.parseHex(nonce, 0, 16);
            tag = HEX.parseHex(nonce, 16, nonce.length());
        } catch (IllegalArgumentException e) {
            return null;
        }
        return MessageDigest.isEqual(tag, mac(time)) ? ByteBuffer.wrap(time).getLong() : null;
    }

    private byte[] mac(byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] full = mac.doFinal(data);
            byte[] tag = new byte[MAC_BYTES];
            System.arraycopy(full, 0, tag, 0, MAC_BYTES);
            return tag;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }

    private static String md5(String s) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks MD5", e);
        }
    }
}
