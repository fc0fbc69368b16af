package io.github.camelrtsp.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.camelrtsp.headers.AuthenticateHeader;

/**
 * Answers an RTSP server's {@code WWW-Authenticate} challenges with {@code Authorization} header values.
 *
 * <p>The strongest supported challenge is used: Digest SHA-512-256 &gt; Digest SHA-256 &gt; Digest MD5 &gt; Basic
 * (each Digest algorithm also in its {@code -sess} variant), with ties going to the challenge offered first. Digest
 * follows RFC 7616 and RFC 2617: {@code qop=auth} when offered ({@code auth-int} when it is the only choice), none
 * when the challenge has no {@code qop} (RFC 2069 style, as many cameras send), {@code userhash} honoured,
 * {@code opaque} echoed, a fresh random {@code cnonce} and an incrementing {@code nc} per request. Neither
 * {@link #toString()} nor any exception message contains the password. Thread-safe.
 */
public final class ClientAuthenticator {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SUPPORTED = "Digest (SHA-512-256, SHA-256, MD5, each also -sess) and Basic";

    private final Credentials credentials;
    private final String scheme;
    private final AuthenticateHeader challenge;
    private final DigestAlgorithm algorithm;
    private final String qop;
    private final Supplier<String> cnonces;
    private final AtomicInteger nonceCount = new AtomicInteger();
    /** For the -sess variants: the cnonce of the first request, on which the session key depends. */
    private volatile String sessionCnonce;

    private ClientAuthenticator(Credentials credentials, AuthenticateHeader challenge, DigestAlgorithm algorithm,
            String qop, Supplier<String> cnonces) {
        this.credentials = credentials;
        this.challenge = challenge;
        this.scheme = algorithm == null ? "Basic" : "Digest";
        this.algorithm = algorithm;
        this.qop = qop;
        this.cnonces = cnonces;
    }

    /**
     * Chooses the strongest supported challenge among the values of the {@code WWW-Authenticate} headers of a 401
     * response (each value may hold several challenges).
     *
     * @throws RtspAuthenticationException if no challenge is supported or none was given
     */
    public static ClientAuthenticator fromChallenges(List<String> wwwAuthenticateValues, Credentials credentials) {
        return fromChallenges(wwwAuthenticateValues, credentials, ClientAuthenticator::randomCnonce);
    }

    /** As {@link #fromChallenges(List, Credentials)} with a given cnonce source (for known-answer tests). */
    static ClientAuthenticator fromChallenges(List<String> wwwAuthenticateValues, Credentials credentials,
            Supplier<String> cnonces) {
        Objects.requireNonNull(wwwAuthenticateValues, "wwwAuthenticateValues");
        Objects.requireNonNull(credentials, "credentials");
        List<String> offered = new ArrayList<>();
        AuthenticateHeader best = null;
        int bestRank = 0;
        for (String value : wwwAuthenticateValues) {
            if (value == null) {
                continue;
            }
            for (AuthenticateHeader c : AuthenticateHeader.parseAll(value)) {
                offered.add(describe(c));
                int rank = rank(c);
                if (rank > bestRank) {
                    best = c;
                    bestRank = rank;
                }
            }
        }
        if (best == null) {
            throw new RtspAuthenticationException(offered.isEmpty()
                    ? "the server requires authentication but sent no WWW-Authenticate challenge"
                    : "none of the server's authentication challenges " + offered + " is supported; supported are "
                            + SUPPORTED);
        }
        if (best.isScheme("Basic")) {
            if (credentials.username().indexOf(':') >= 0) {
                throw new RtspAuthenticationException("the server offers only Basic authentication, which cannot"
                        + " carry a user name containing ':' (user '" + credentials.username() + "')");
            }
            return new ClientAuthenticator(credentials, best, null, null, cnonces);
        }
        return new ClientAuthenticator(credentials, best, DigestAlgorithm.of(best.param("algorithm")),
                chooseQop(best.param("qop")), cnonces);
    }

    /**
     * Returns whether a new 401 response only says the nonce went stale ({@code stale=true} in a Digest challenge):
     * then the request can be repeated with a fresh authenticator, the credentials are not wrong.
     */
    public static boolean isStale(List<String> wwwAuthenticateValues) {
        for (String value : wwwAuthenticateValues) {
            for (AuthenticateHeader c : AuthenticateHeader.parseAll(value)) {
                if (c.isScheme("Digest") && "true".equalsIgnoreCase(c.param("stale"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Returns the {@code Authorization} header value for a request without body. */
    public String authorization(String method, String uri) {
        return authorization(method, uri, new byte[0]);
    }

    /**
     * Returns the {@code Authorization} header value for a request; the body matters only with
     * {@code qop=auth-int}.
     */
    public String authorization(String method, String uri, byte[] body) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        if (algorithm == null) {
            String pair = credentials.username() + ':' + credentials.password();
            return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }
        String realm = nullToEmpty(challenge.param("realm"));
        String nonce = nullToEmpty(challenge.param("nonce"));
        String cnonce = null;
        String nc = null;
        if (qop != null) {
            nc = String.format("%08x", nonceCount.incrementAndGet());
            cnonce = algorithm.session ? sessionCnonce() : cnonces.get();
        }
        String ha1 = algorithm.hash(credentials.username() + ':' + realm + ':' + credentials.password());
        if (algorithm.session) {
            ha1 = algorithm.hash(ha1 + ':' + nonce + ':' + cnonce);
        }
        String a2 = method + ':' + uri;
        if ("auth-int".equals(qop)) {
            a2 = a2 + ':' + algorithm.hash(body == null ? new byte[0] : body);
        }
        String ha2 = algorithm.hash(a2);
        String response = qop == null
                ? algorithm.hash(ha1 + ':' + nonce + ':' + ha2)
                : algorithm.hash(ha1 + ':' + nonce + ':' + nc + ':' + cnonce + ':' + qop + ':' + ha2);

        boolean userhash = "true".equalsIgnoreCase(challenge.param("userhash"));
        String username = userhash ? algorithm.hash(credentials.username() + ':' + realm) : credentials.username();
        StringBuilder sb = new StringBuilder("Digest ");
        sb.append("username=").append(quote(username));
        sb.append(", realm=").append(quote(realm));
        sb.append(", nonce=").append(quote(nonce));
        sb.append(", uri=").append(quote(uri));
        if (challenge.param("algorithm") != null) {
            sb.append(", algorithm=").append(challenge.param("algorithm"));
        }
        sb.append(", response=").append(quote(response));
        if (qop != null) {
            sb.append(", qop=").append(qop).append(", nc=").append(nc).append(", cnonce=").append(quote(cnonce));
        }
        if (challenge.param("opaque") != null) {
            sb.append(", opaque=").append(quote(challenge.param("opaque")));
        }
        if (userhash) {
            sb.append(", userhash=true");
        }
        return sb.toString();
    }

    /** Returns the chosen scheme: {@code Digest} or {@code Basic}. */
    public String scheme() {
        return scheme;
    }

    /** Returns the Digest algorithm in use ({@code MD5}, {@code SHA-256-sess}...), or {@code null} for Basic. */
    public String algorithm() {
        return algorithm == null ? null : algorithm.name;
    }

    /** Returns the chosen quality of protection ({@code auth}, {@code auth-int}) or {@code null} when none. */
    public String qop() {
        return qop;
    }

    /** Returns the realm of the chosen challenge, or {@code null}. */
    public String realm() {
        return challenge.param("realm");
    }

    /** Describes the chosen scheme, realm and user; never the password. */
    @Override
    public String toString() {
        return "ClientAuthenticator[" + scheme + (algorithm == null ? "" : " " + algorithm.name)
                + (qop == null ? "" : " qop=" + qop) + ", realm=" + realm() + ", user=" + credentials.username()
                + "]";
    }

    private String sessionCnonce() {
        String c = sessionCnonce;
        if (c == null) {
            synchronized (this) {
                if (sessionCnonce == null) {
                    sessionCnonce = cnonces.get();
                }
                c = sessionCnonce;
            }
        }
        return c;
    }

    /** 0 when unsupported; higher is stronger. */
    private static int rank(AuthenticateHeader c) {
        if (c.isScheme("Basic")) {
            return 1;
        }
        if (!c.isScheme("Digest") || c.param("nonce") == null) {
            return 0;
        }
        DigestAlgorithm a = DigestAlgorithm.of(c.param("algorithm"));
        String qop = c.param("qop");
        if (a == null || qop != null && chooseQop(qop) == null || a.session && qop == null) {
            return 0;
        }
        return a.strength;
    }

    /** {@code auth} when offered, else {@code auth-int}; {@code null} when neither (or no qop at all). */
    private static String chooseQop(String offered) {
        if (offered == null) {
            return null;
        }
        boolean authInt = false;
        for (String q : offered.split(",")) {
            String t = q.trim().toLowerCase(Locale.ROOT);
            if (t.equals("auth")) {
                return "auth";
            }
            authInt |= t.equals("auth-int");
        }
        return authInt ? "auth-int" : null;
    }

    private static String describe(AuthenticateHeader c) {
        String alg = c.param("algorithm");
        return c.scheme() + (alg == null ? "" : " " + alg);
    }

    private static String randomCnonce() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        StringBuilder sb = new StringBuilder(32);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
    }

    private static String quote(String v) {
        return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** The Digest algorithms supported, by strength. */
    private static final class DigestAlgorithm {
        final String name;
        final String jcaName;
        final boolean session;
        final int strength;

        private DigestAlgorithm(String name, String jcaName, boolean session, int strength) {
            this.name = name;
            this.jcaName = jcaName;
            this.session = session;
            this.strength = strength;
        }

        /** Maps the challenge's algorithm (absent means MD5); {@code null} when unsupported. */
        static DigestAlgorithm of(String algorithm) {
            String a = algorithm == null ? "MD5" : algorithm.trim().toUpperCase(Locale.ROOT);
            boolean session = a.endsWith("-SESS");
            String base = session ? a.substring(0, a.length() - 5) : a;
            switch (base) {
                case "MD5":
                    return new DigestAlgorithm(session ? "MD5-sess" : "MD5", "MD5", session, 2);
                case "SHA-256":
                    return new DigestAlgorithm(session ? "SHA-256-sess" : "SHA-256", "SHA-256", session, 3);
                case "SHA-512-256":
                    return new DigestAlgorithm(session ? "SHA-512-256-sess" : "SHA-512-256", "SHA-512/256", session,
                            4);
                default:
                    return null;
            }
        }

        String hash(String s) {
            return hash(s.getBytes(StandardCharsets.UTF_8));
        }

        String hash(byte[] data) {
            try {
                byte[] d = MessageDigest.getInstance(jcaName).digest(data);
                StringBuilder sb = new StringBuilder(d.length * 2);
                for (byte x : d) {
                    sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
                }
                return sb.toString();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK lacks " + jcaName, e);
            }
        }
    }
}
