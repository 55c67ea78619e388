package io.herald.tools.up;

/** What {@code bin/herald up} prints once the cluster runs: the keys to export and the commands to try. */
final class Tips {
    private Tips() {}

    static void print(String api, String admin, String apiKey, String adminToken) {
        Up.say("cluster running; Ctrl-C stops every process");
        System.out.println("    API key:    export HERALD_KEY=" + apiKey + "      (application \"demo\"; more: curl -X POST '" + admin
                + "/tasks/app-create?name=<app>' -H \"Authorization: Bearer $ADMIN_TOKEN\")");
        System.out.println("    admin:      export ADMIN_TOKEN=" + adminToken + "      (every admin task wants it)");
        System.out.println("    send one:   curl -X POST " + api + "/v1/messages -H \"Authorization: Bearer $HERALD_KEY\" \\");
        System.out.println("                  -H 'Content-Type: application/json' -d '{\"channel\":\"log\",\"target\":\"ops\",\"subject\":\"hi\",\"body\":\"hello\"}'");
        System.out.println("    status:     curl -H \"Authorization: Bearer $HERALD_KEY\" " + api + "/v1/messages/<id>");
        System.out.println("    cluster:    curl -H \"Authorization: Bearer $HERALD_KEY\" " + api + "/v1/cluster");
        System.out.println("    step down:  curl -X POST -H \"Authorization: Bearer $ADMIN_TOKEN\" " + admin + "/tasks/step-down      (on the leader's admin port)");
        System.out.println("    metrics:    curl " + admin + "/prometheus");
    }
}
