// BuiltInCatalog.swift — the catalogue compiled into simrun; `catalog/aws.yaml` is this text
// (`CatalogTests` fails when they differ; `SIMRUN_WRITE_DOCS=1` rewrites the file).

extension PriceCatalog {
    /// The built-in catalogue's YAML text.
    public static let builtInText = """
        # simrun's price catalogue: the instance classes a scenario may name and what they cost.
        # simrun compiles this text in; this file is a copy for reading and editing. To use other
        # prices, edit a copy and pass it with --catalog FILE (simrun run, check, sweep).
        #
        # Prices are on-demand list prices in US dollars per hour for us-east-1, from the AWS
        # pricing pages named under `sources`, written down by hand in December 2026; they were
        # not fetched or verified live, so check them before relying on a cost. Storage, I/O,
        # backups, data transfer and Multi-AZ standbys are not included.
        provider: aws
        region: us-east-1
        prices_as_of: 2026-12
        sources:
          database: "https://aws.amazon.com/rds/mysql/pricing/ (RDS for MySQL, Single-AZ, on-demand instance hours)"
          api: "https://aws.amazon.com/fargate/pricing/ (ECS on Fargate, Linux/x86, per vCPU-hour and GB-hour)"
          cache: "https://aws.amazon.com/elasticache/pricing/ (ElastiCache for Redis OSS, on-demand node hours); memory and baseline bandwidth from the ElastiCache supported node types page"

        # RDS for MySQL classes. The seed's table (db.r5.large … db.r5.8xlarge) plus the other
        # families a planner would weigh: general purpose (db.m5) and Graviton (db.r6g). memory
        # sets MySQL's default max_connections on RDS (memory / 12,582,880 bytes); a vertical
        # upgrade (database.auto_upgrade) climbs the primary's family.
        database:
          - {class: db.t3.medium, vcpus: 2, memory: 4GiB, network: "Up to 5 Gbps", hourly_price: 0.068}
          - {class: db.m5.large, vcpus: 2, memory: 8GiB, network: "Up to 10 Gbps", hourly_price: 0.171}
          - {class: db.m5.xlarge, vcpus: 4, memory: 16GiB, network: "Up to 10 Gbps", hourly_price: 0.342}
          - {class: db.m5.2xlarge, vcpus: 8, memory: 32GiB, network: "Up to 10 Gbps", hourly_price: 0.684}
          - {class: db.m5.4xlarge, vcpus: 16, memory: 64GiB, network: "Up to 10 Gbps", hourly_price: 1.368}
          - {class: db.r5.large, vcpus: 2, memory: 16GiB, network: "Up to 10 Gbps", hourly_price: 0.25}
          - {class: db.r5.xlarge, vcpus: 4, memory: 32GiB, network: "Up to 10 Gbps", hourly_price: 0.50}
          - {class: db.r5.2xlarge, vcpus: 8, memory: 64GiB, network: "Up to 10 Gbps", hourly_price: 1.00}
          - {class: db.r5.4xlarge, vcpus: 16, memory: 128GiB, network: "10 Gbps", hourly_price: 2.00}
          - {class: db.r5.8xlarge, vcpus: 32, memory: 256GiB, network: "10 Gbps", hourly_price: 4.00}
          - {class: db.r6g.large, vcpus: 2, memory: 16GiB, network: "Up to 10 Gbps", hourly_price: 0.225}
          - {class: db.r6g.xlarge, vcpus: 4, memory: 32GiB, network: "Up to 10 Gbps", hourly_price: 0.45}
          - {class: db.r6g.2xlarge, vcpus: 8, memory: 64GiB, network: "Up to 10 Gbps", hourly_price: 0.899}
          - {class: db.r6g.4xlarge, vcpus: 16, memory: 128GiB, network: "Up to 10 Gbps", hourly_price: 1.798}

        # API tasks and Celery workers on ECS Fargate: a task of V vCPUs and M GiB costs
        # V × vcpu_hour + M × gib_hour an hour (1 vCPU, 2 GiB: $0.04937). A scenario sets the API
        # task's size with api.vcpus and api.memory (default memory_per_vcpu × vcpus), a worker's
        # with jobs.worker_vcpus and jobs.worker_memory; api.hourly_price and
        # jobs.worker_hourly_price override the prices.
        api:
          vcpu_hour: 0.04048
          gib_hour: 0.004445
          memory_per_vcpu: 2GiB

        # ElastiCache for Redis node types (cache.node): memory in GiB (Redis's maxmemory is 75 %
        # of it, ElastiCache's default reserved-memory-percent) and the baseline network bandwidth
        # the node sustains once its burst credits are spent.
        cache:
          - {node: cache.t3.micro, memory_gib: 0.5, baseline_gbps: 0.064, hourly_price: 0.017}
          - {node: cache.t3.small, memory_gib: 1.37, baseline_gbps: 0.128, hourly_price: 0.034}
          - {node: cache.t3.medium, memory_gib: 3.09, baseline_gbps: 0.256, hourly_price: 0.068}
          - {node: cache.m6g.large, memory_gib: 6.38, baseline_gbps: 0.75, hourly_price: 0.149}
          - {node: cache.m6g.xlarge, memory_gib: 12.93, baseline_gbps: 1.25, hourly_price: 0.298}
          - {node: cache.r6g.large, memory_gib: 13.07, baseline_gbps: 0.75, hourly_price: 0.206}
          - {node: cache.r6g.xlarge, memory_gib: 26.32, baseline_gbps: 1.25, hourly_price: 0.411}
          - {node: cache.r6g.2xlarge, memory_gib: 52.82, baseline_gbps: 2.5, hourly_price: 0.821}
          - {node: cache.r6g.4xlarge, memory_gib: 105.81, baseline_gbps: 5.0, hourly_price: 1.642}
        """
}
