package dev.framewright.projector.fold;

/**
 * What folding one event did.
 *
 * @param kind      whether the event is one a job's webhook hears of
 * @param milestone for a progress notification: the highest of 25/50/75 % this event crossed; 0 otherwise
 */
public record Folded(Notify kind, int milestone) {

    public enum Notify {
        NONE, TERMINAL, PROGRESS,
        /**
         * The request (with its webhook) was folded after the job's terminal event, e.g. the first job of a new
         * queue, whose topic is subscribed a few seconds late: the webhook hears of that terminal event now.
         */
        EARLIER_TERMINAL
    }

    static final Folded NOTHING = new Folded(Notify.NONE, 0);
    static final Folded TERMINAL = new Folded(Notify.TERMINAL, 0);
    static final Folded EARLIER_TERMINAL = new Folded(Notify.EARLIER_TERMINAL, 0);

    static Folded milestone(int percent) {
        return new Folded(Notify.PROGRESS, percent);
    }
}
