/**
 * Every project runs two vitest projects: `unit` (pure logic, `src/**\/*.test.ts`, no services) and
 * `integration` (`test/**\/*.int.test.ts`, against the real Redis and PostgreSQL on this machine).
 * The `development` condition makes workspace packages resolve to their TypeScript sources.
 */
export declare function defineWorkspaceProjectConfig(root: string): import("vite").UserConfig;
//# sourceMappingURL=vitest.shared.d.ts.map