package dev.framewright.events;

/**
 * What the picture shows, as {@code describe.json}: the labels of the deployment's classifier model with their
 * scores, the {@code top} best per sample; for an image one sample, for a video one sample every
 * {@code everySeconds} of media time (at most {@code maxSamples}). The model is the deployment's
 * ({@code FRAMEWRIGHT_DESCRIBE_MODEL}); a deployment without one refuses the output with {@code model_unavailable}.
 *
 * @param top          labels kept per sample, best first; default 5
 * @param everySeconds video: seconds between samples, from 0; default 1
 * @param maxSamples   video: the most samples taken (the output fails with {@code invalid_output} past it);
 *                     default {@code OutputRules.DESCRIBE_MAX_SAMPLES}
 */
public record DescribeOutput(String name, Integer top, Double everySeconds, Integer maxSamples)
        implements OutputSpec {

    @Override
    public OutputType type() {
        return OutputType.DESCRIBE;
    }
}
