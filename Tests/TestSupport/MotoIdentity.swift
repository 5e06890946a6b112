/// Whether what answers on a moto launcher's port is moto (its Werkzeug server), not some other
/// test server that holds the port: a launcher that took any 200 for moto once sent every later AWS
/// test to a gameserver.
public enum MotoIdentity {
    public static func isMoto(_ headers: [(name: String, value: String)]) -> Bool {
        headers.contains { $0.name.lowercased() == "server" && $0.value.hasPrefix("Werkzeug/") }
    }

    public static func impostor(url: String, headers: [(name: String, value: String)]) -> String {
        let server = headers.first { $0.name.lowercased() == "server" }?.value ?? "no Server header"
        return "something other than moto answers on \(url) (\(server)): the port was taken before moto could listen"
    }
}
