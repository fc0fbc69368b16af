package io.github.camelrtsp.auth;

import java.util.Objects;

/** A user name and password. {@link #toString()} never shows the password. */
public final class Credentials {

    private final String username;
    private final String password;

    public Credentials(String username, String password) {
        this.username = Objects.requireNonNull(username, "username");
        this.password = password == null ? "" : password;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    @Override
    public String toString() {
        return "Credentials[" + username + ", ******]";
    }
}
