// main.swift — built with SIMRUN_FUZZING (scripts/fuzz.sh): libFuzzer's driver; otherwise a
// replayer that loads each file named on the command line, to reproduce a finding with a plain
// debug build: `swift run ScenarioFuzzer crash-<sha1>`.

import Foundation

#if SIMRUN_FUZZING
import CLibFuzzer

// MARK: - libFuzzer

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzTestOneInput))
#else

// MARK: - Replay

let files = CommandLine.arguments.dropFirst()
if files.isEmpty {
    FileHandle.standardError.write(Data("usage: ScenarioFuzzer FILE... (replays inputs; see docs/fuzzing.md)\n".utf8))
    exit(2)
}
for file in files {
    guard let data = FileManager.default.contents(atPath: file) else {
        FileHandle.standardError.write(Data("cannot read \(file)\n".utf8))
        exit(2)
    }
    data.withUnsafeBytes { FuzzTarget.run($0) }
    print("replayed: \(file) (\(data.count) bytes)")
}
#endif
