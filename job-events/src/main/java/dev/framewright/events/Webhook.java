package dev.framewright.events;

/**
 * Where a job's notifications go. Bodies are signed with the tenant's webhook secret, which never travels in events.
 *
 * @param url      https (or http on a development stack) URL that receives a POST per notification
 * @param progress also notify at progress milestones (25, 50, 75 %), not only at the terminal state
 */
public record Webhook(String url, boolean progress) {
}
