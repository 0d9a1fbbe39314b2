package dev.lookout.kubernetes;

import java.util.Optional;

/**
 * One request to the API server as RBAC sees it: verb, API group, resource (with {@code /subresource}). GET of a
 * collection is list (watch with {@code watch=true}), GET of an object get, POST create, PUT update, PATCH patch,
 * DELETE of an object delete and of a collection deletecollection.
 */
record ApiCall(String verb, String group, String resource) implements Comparable<ApiCall> {
    /** The call, or empty for a path that names no resource (discovery: /api, /apis, /version). */
    static Optional<ApiCall> of(String method, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        String[] s = path.replaceAll("^/+", "").split("/");
        int start;
        String group;
        if (s.length >= 3 && s[0].equals("api")) {
            group = "";
            start = 2;
        } else if (s.length >= 4 && s[0].equals("apis")) {
            group = s[1];
            start = 3;
        } else {
            return Optional.empty();
        }
        int at = start;
        if (s.length > start + 2 && s[start].equals("namespaces")) {
            at = start + 2; // namespaces/<ns>/<resource>...
        }
        String resource = s[at];
        boolean named = s.length > at + 1;
        if (s.length > at + 2) {
            resource = resource + "/" + s[at + 2];
        }
        boolean watch = ("&" + query).contains("&watch=true");
        String verb = switch (method) {
            case "GET" -> named ? "get" : watch ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> throw new IllegalArgumentException("no RBAC verb for " + method + " " + pathAndQuery);
        };
        return Optional.of(new ApiCall(verb, group, resource));
    }

    @Override
    public int compareTo(ApiCall o) {
        return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
        return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource;
    }
}
