package dev.framewright.api.job;

/** {@link SubmitTest#upload} for tests of other packages. */
public final class JobTestUploads {

    private JobTestUploads() {
    }

    /** POST /v1/uploads, then PUT the bytes to the presigned URL exactly as a client would; returns the upload id. */
    public static String upload(String filename, String contentType, byte[] bytes) throws Exception {
        return SubmitTest.upload(filename, contentType, bytes);
    }
}
