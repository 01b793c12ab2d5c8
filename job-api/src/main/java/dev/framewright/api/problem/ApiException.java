package dev.framewright.api.problem;

/** An error a client caused or must know about, answered as a {@link Problem} with a stable code. */
public class ApiException extends RuntimeException {

    private final transient Problem problem;

    public ApiException(int status, String code, String title, String detail) {
        super(detail);
        this.problem = Problem.of(status, code, title, detail);
    }

    public ApiException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "not_found", "Not found", what + " does not exist");
    }

    public static ApiException invalidSpec(String detail) {
        return new ApiException(400, "invalid_spec", "Invalid job spec", detail);
    }

    /** One invalid field, named as the client wrote it ({@code outputs[1].every_seconds}). */
    public static ApiException invalidField(String field, String message) {
        return invalidSpec(java.util.List.of(new Problem.FieldError(field, message)));
    }

    public static ApiException invalidSpec(java.util.List<Problem.FieldError> errors) {
        String detail = errors.stream().map(f -> f.field() + ": " + f.message())
                .collect(java.util.stream.Collectors.joining("; "));
        return new ApiException(Problem.of(400, "invalid_spec", "Invalid job spec", detail).withErrors(errors));
    }

    public static ApiException conflict(String code, String title, String detail) {
        return new ApiException(409, code, title, detail);
    }
}
