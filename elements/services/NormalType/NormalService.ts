/**
 * services.NormalType: the class behind service elements. A service instance with its own
 * backendBundleEntry subclasses it (or Element directly); one without gets this plain element,
 * whose functionList methods the host exposes.
 */
import { Element } from '../../../runtime';

export class NormalService extends Element {}
