package dev.framewright.events;

/**
 * One label of a {@code describe} output's summary in its {@link OutputResult}.
 *
 * @param label a label of the deployment's model
 * @param score for an image its score (softmax probability, 0-1); for a video the mean over the samples
 */
public record DescribeLabel(String label, double score) {
}
