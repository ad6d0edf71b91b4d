/**
 * jit-runtime's public surface: the runtime (loadApp, errors, diagnostics, the Element base) and the
 * official elements' classes, so an app's own Type can subclass them:
 *   const { DDInnerType } = require('jit-runtime');
 */
export * from './runtime/errors';
export * from './runtime/diagnostics';
export * from './runtime/definitions';
export * from './runtime/element';
export * from './runtime/app-types';
export * from './runtime/logger';
