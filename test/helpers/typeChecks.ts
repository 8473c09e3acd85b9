/**
 * One run of test/helpers/tscProjects.cjs for the whole test run (processes.ts runShared): the package's declarations
 * built and the consumer type-checked against them (test/packageConsumer.test.ts), then the schema of the package's
 * component provider (test/componentSchema.test.ts), all three parsing the libraries' declarations once.
 */
export const TYPE_CHECKS = ["test/helpers/tscProjects.cjs", "--link", "examples/consumer", "tsconfig.package.json", "examples/consumer/tsconfig.json", "--component-schema"];
