package dev.framewright.transcoder.media.faces;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.FaceRedaction;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaceTracksTest {

    private static FaceBox box(int x, int y, int size) {
        return new FaceBox(x, y, size, size, 10);
    }

    @Test
    void shouldKeepOneTrackForAFaceThatMovesLessThanItsSizeBetweenSamples() {
        FaceTracks tracks = new FaceTracks();
        tracks.add(0, List.of(box(100, 100, 80)));
        tracks.add(1, List.of(box(120, 100, 80)));
        FaceTracks.Sample last = tracks.add(2, List.of(box(140, 104, 80)));

        assertThat(last.faces()).extracting(FaceTracks.Face::track).containsExactly(1);
    }

    @Test
    void shouldGiveTwoFacesTheirOwnTracksAndANewFaceANewOne() {
        FaceTracks tracks = new FaceTracks();
        tracks.add(0, List.of(box(0, 0, 50), box(300, 0, 50)));
        FaceTracks.Sample s = tracks.add(1, List.of(box(305, 2, 50), box(600, 0, 50), box(4, 0, 50)));

        assertThat(s.faces()).extracting(FaceTracks.Face::track).containsExactly(2, 3, 1);
    }

    @Test
    void shouldStartANewTrackForAFaceThatJumpedFarAway() {
        FaceTracks tracks = new FaceTracks();
        tracks.add(0, List.of(box(0, 0, 50)));
        FaceTracks.Sample s = tracks.add(1, List.of(box(200, 0, 50)));

        assertThat(s.faces()).extracting(FaceTracks.Face::track).containsExactly(2);
    }

    @Test
    void shouldMoveABoxLinearlyBetweenSamples() {
        FaceTracks tracks = new FaceTracks();
        tracks.add(0, List.of(box(100, 100, 80)));
        tracks.add(1, List.of(box(140, 100, 80)));

        assertThat(tracks.at(0.25)).containsExactly(box(110, 100, 80));
        assertThat(tracks.at(-1)).containsExactly(box(100, 100, 80));
        assertThat(tracks.at(5)).containsExactly(box(140, 100, 80));
    }

    @Test
    void shouldCoverAFaceFromTheSampleBeforeItAppearsToTheSampleAfterItLeaves() {
        FaceTracks tracks = new FaceTracks();
        tracks.add(0, List.of());
        tracks.add(1, List.of(box(100, 100, 80)));
        tracks.add(2, List.of());

        assertThat(tracks.at(0.1)).containsExactly(box(100, 100, 80));
        assertThat(tracks.at(1.9)).containsExactly(box(100, 100, 80));
        assertThat(tracks.at(2.0)).isEmpty();
    }

    @Test
    void shouldChangeOnlyThePixelsInsideTheRectangle() {
        int w = 64;
        int h = 48;
        java.nio.ByteBuffer plane = java.nio.ByteBuffer.allocate(w * h);
        for (int i = 0; i < w * h; i++) {
            plane.put(i, (byte) ((i * 37) % 251));
        }
        java.nio.ByteBuffer before = java.nio.ByteBuffer.allocate(w * h).put(plane.duplicate().rewind()).flip();
        for (FaceRedaction how : FaceRedaction.values()) {
            java.nio.ByteBuffer p = java.nio.ByteBuffer.allocate(w * h).put(before.duplicate().rewind()).flip();
            Obscure.plane(how, p, 0, w, 10, 8, 30, 20);
            int inside = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean in = x >= 10 && x < 40 && y >= 8 && y < 28;
                    boolean same = p.get(y * w + x) == before.get(y * w + x);
                    if (!in) {
                        assertThat(same).as("%s outside at %d,%d", how, x, y).isTrue();
                    } else if (!same) {
                        inside++;
                    }
                }
            }
            assertThat(inside).as("%s changed inside", how).isGreaterThan(30 * 20 * 9 / 10);
        }
    }
}
