/**
 * NormalModel: the base class of model elements (instances of models.NormalType). A model element's
 * module exports its class (extending this one) and `contribution`: the entity schemas and
 * migrations it adds to the app's database. The app opens the database with every model element's
 * contribution and the runtime's core models, and runs the migrations on start.
 */
import { Element, type Database, type ModelContribution } from '../../../runtime';

export class NormalModel extends Element {
  /** The same contribution as the module's `contribution` export, for code holding only the class. */
  static contribution?: ModelContribution;

  /** The app's database (opened lazily by the app on first use). */
  protected get db(): Database {
    return this.app.db;
  }
}

/** models.NormalType itself adds no tables; its instances bring their own. */
export const contribution: ModelContribution = { source: 'models.NormalType', entities: [], migrations: [] };
