package dev.framewright.projector.kafka;

import com.fasterxml.jackson.core.JacksonException;
import dev.framewright.projector.fold.ForeignTenantEvent;
import io.vertx.pgclient.PgException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Tells a failure the record causes (folding it again fails the same way: park it) from one of the database or the
 * network (it passes: retry). In doubt a failure counts as transient, since parking a good record because the
 * database was briefly away would be the worse mistake.
 */
public final class Failures {

    /**
     * SQLSTATEs that say "this statement, with these values, can never succeed": data exceptions (22: a NUL in
     * jsonb or text, a value out of range), integrity violations (23), and the type and cast errors of class 42.
     * Class 42's schema errors (undefined table, column or function, no privilege) are a deployment problem every
     * record would hit, so they are retried like an outage rather than parking everything.
     */
    private static final Set<String> SCHEMA_STATES = Set.of("42501", "42P01", "42703", "42883", "42P02");

    private Failures() {
    }

    /** True when retrying the same records may succeed: connection, serialization, deadlock, shutdown, resources. */
    public static boolean isTransient(Throwable failure) {
        String state = sqlState(failure);
        if (state != null) {
            return !refusesTheRecord(state);
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (isDeterministic(t)) {
                return false;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return true;
    }

    static boolean refusesTheRecord(String state) {
        String cls = state.length() >= 2 ? state.substring(0, 2) : state;
        return switch (cls) {
            case "22", "23" -> true;
            case "42" -> !SCHEMA_STATES.contains(state);
            // 08 connection, 40 serialization/deadlock, 53 resources, 55 lock not available, 57 shutdown,
            // 58 I/O, XX internal, 28 auth, 3D no database and anything else: the database's trouble, not the record's.
            default -> false;
        };
    }

    /** The SQLSTATE of the first PostgreSQL error in the chain, or null. */
    public static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg) {
                return pg.getSqlState();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** Exceptions the fold's own code throws on a value it cannot handle: the same record throws them again. */
    private static boolean isDeterministic(Throwable t) {
        return t instanceof NullPointerException || t instanceof IllegalArgumentException
                || t instanceof ClassCastException || t instanceof IndexOutOfBoundsException
                || t instanceof ArithmeticException || t instanceof DateTimeException
                || t instanceof NoSuchElementException || t instanceof UnsupportedOperationException
                || t instanceof JacksonException
                || (t instanceof UncheckedIOException u && u.getCause() instanceof JacksonException);
    }

    /** The parked reason of a non-transient fold failure. */
    public static String reason(Throwable failure) {
        if (sqlState(failure) != null) {
            return ParkReason.DATABASE_REFUSED;
        }
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof ForeignTenantEvent) {
                return ParkReason.TENANT_MISMATCH;
            }
        }
        return ParkReason.FOLD_FAILED;
    }

    /** A short message for the operator: the PostgreSQL message and detail, or the exception. */
    public static String message(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg) {
                String m = pg.getErrorMessage();
                return pg.getDetail() == null ? m : m + " (" + pg.getDetail() + ")";
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return failure.toString();
    }
}
