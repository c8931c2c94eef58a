import { defineWorkspaceProjectConfig } from '../../vitest.shared.ts';

export default defineWorkspaceProjectConfig(import.meta.dirname);
