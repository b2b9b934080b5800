/// Where an archive with read replicas sent its reads, for `/metrics`.
public struct ReadRouting: Sendable, Equatable {
    /// Reads answered by the primary and by a replica since the archive was opened.
    public var primaryReads: Int
    public var replicaReads: Int
    /// Each replica (its address, without a password) and whether it takes reads now.
    public var replicas: [Replica]

    public struct Replica: Sendable, Equatable {
        public var address: String
        public var available: Bool

        public init(address: String, available: Bool) {
            self.address = address
            self.available = available
        }
    }

    public init(primaryReads: Int, replicaReads: Int, replicas: [Replica]) {
        self.primaryReads = primaryReads
        self.replicaReads = replicaReads
        self.replicas = replicas
    }
}
