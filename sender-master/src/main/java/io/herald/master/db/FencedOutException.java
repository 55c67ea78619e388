package io.herald.master.db;

/** A dispatch write was refused because a newer leader's fencing token is in the database. */
public final class FencedOutException extends Exception {
    private final long ownToken;
    private final long currentToken;

    public FencedOutException(long ownToken, long currentToken) {
        super("fenced out: own token " + ownToken + ", database holds " + currentToken);
        this.ownToken = ownToken;
        this.currentToken = currentToken;
    }

    public long ownToken() {
        return ownToken;
    }

    public long currentToken() {
        return currentToken;
    }
}
