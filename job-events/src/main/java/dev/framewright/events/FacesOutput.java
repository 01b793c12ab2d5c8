package dev.framewright.events;


/**
 * The faces in the picture as {@code faces.json}: for an image one sample, for a video one sample every
 * {@code everySeconds} of media time, each with the face boxes in displayed-frame pixels (upright, square pixels),
 * the detector's neighbour count, and a {@code track} id that links one face across samples.
 *
 * @param everySeconds video: seconds between samples, from 0; default 1
 */
public record FacesOutput(String name, Double everySeconds) implements OutputSpec {

    @Override
    public OutputType type() {
        return OutputType.FACES;
    }
}
