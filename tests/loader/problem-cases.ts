/**
 * Every diagnostic code, each shown by a real fixture app with exactly one defect: the code, the file
 * (relative to the case's app folder), the line and column, and words of the message that say how to
 * fix it. The loader tests and the `jit validate` corpus test both run this table.
 */
import type { DiagnosticCode } from '../../runtime/diagnostics';

export interface ProblemCase {
  /** Folder under tests/fixtures/apps. */
  app: string;
  code: DiagnosticCode;
  file: string;
  line: number;
  col: number;
  message: RegExp;
  /** Found when element modules are required (jit validate, getElement), not by the loader alone. */
  needsBundles?: boolean;
  /** Error codes besides `code` the defect legitimately causes. */
  alsoCauses?: DiagnosticCode[];
  severity?: 'warning';
}

export const BROKEN_CORPUS: ProblemCase[] = [
  { app: 'broken/json-syntax', code: 'JSON_SYNTAX', file: 'auths/loginTypes/login/e.json', line: 4, col: 1, message: /fix the JSON syntax/ },
  { app: 'broken/app-json-missing', code: 'APP_JSON_MISSING', file: 'app.json', line: 1, col: 1, message: /jit init/ },
  { app: 'broken/app-json-invalid', code: 'APP_JSON_INVALID', file: 'app.json', line: 2, col: 12, message: /appId must .*<org>\.<app>.*found "Acme HR"/ },
  { app: 'broken/extends-missing', code: 'APP_EXTENDS_MISSING', file: 'app.json', line: 5, col: 5, message: /does-not-exist does not exist/ },
  { app: 'broken/extends-cycle', code: 'APP_EXTENDS_CYCLE', file: 'parent/app.json', line: 5, col: 5, message: /broken\.extends_cycle -> broken\.cycle_parent -> broken\.extends_cycle/ },
  { app: 'broken/e-json-invalid', code: 'E_JSON_INVALID', file: 'widgets/Meta/e.json', line: 4, col: 3, message: /"acessModifier" is not allowed: did you mean "accessModifier"\?/ },
  { app: 'broken/type-missing', code: 'TYPE_MISSING', file: 'auths/loginTypes/login/e.json', line: 3, col: 11, message: /did you mean auths\.loginTypes\.DDInnerType\?/ },
  { app: 'broken/type-cycle', code: 'TYPE_CYCLE', file: 'widgets/AType/e.json', line: 3, col: 11, message: /widgets\.AType -> widgets\.BType -> widgets\.AType/ },
  { app: 'broken/type-is-instance', code: 'TYPE_IS_INSTANCE', file: 'widgets/two/e.json', line: 3, col: 11, message: /widgets\.one is an Instance of widgets\.Kind.*such as widgets\.Kind/ },
  { app: 'broken/instance-of-meta', code: 'INSTANCE_OF_META', file: 'auths/loginTypes/login/e.json', line: 3, col: 11, message: /has a business config .* a Type such as auths\.loginTypes\.DDInnerType/ },
  { app: 'broken/override-protected', code: 'OVERRIDE_FORBIDDEN', file: 'widgets/ProtectedType/e.json', line: 1, col: 1, message: /protected in test\.base .*rename this folder/ },
  { app: 'broken/override-private', code: 'OVERRIDE_FORBIDDEN', file: 'widgets/PrivateType/e.json', line: 1, col: 1, message: /private in test\.base .*rename this folder/ },
  { app: 'broken/access-denied', code: 'ACCESS_DENIED', file: 'widgets/mine/e.json', line: 3, col: 11, message: /private to test\.base.*only that app may use it/ },
  { app: 'broken/config-missing', code: 'CONFIG_MISSING', file: 'auths/loginTypes/login/e.json', line: 1, col: 1, message: /needs a business config: create auths\/loginTypes\/login\/login\.json/ },
  { app: 'broken/config-invalid', code: 'CONFIG_INVALID', file: 'auths/loginTypes/login/login.json', line: 3, col: 15, message: /authConfig\.appKey must be between 20 and 32 characters \(the DingTalk Client ID: 'ding' followed by 16 to 28 letters or digits\); found 12/ },
  { app: 'broken/config-unknown-key', code: 'CONFIG_INVALID', file: 'auths/loginTypes/login/login.json', line: 10, col: 5, message: /"whenNotAsociated" is not allowed in binding: did you mean "whenNotAssociated"\?/ },
  { app: 'broken/config-proto-key', code: 'CONFIG_KEY_FORBIDDEN', file: 'auths/loginTypes/login/login.json', line: 10, col: 5, message: /binding\.__proto__ is not allowed as a config key: it would change the prototype/ },
  { app: 'broken/env-missing', code: 'ENV_MISSING', file: 'auths/loginTypes/login/login.json', line: 4, col: 18, message: /\{\{DD_FIXTURE_UNSET_SECRET\}\}, but DD_FIXTURE_UNSET_SECRET is not set: add DD_FIXTURE_UNSET_SECRET=\.\.\. to .*\.env/ },
  { app: 'broken/bundle-missing', code: 'BUNDLE_MISSING', file: 'widgets/CustomType/e.json', line: 4, col: 25, message: /"CustomTyp" names no module: create CustomTyp\.ts or CustomTyp\.js/ },
  { app: 'broken/bundle-invalid', code: 'BUNDLE_INVALID', file: 'widgets/CustomType/e.json', line: 4, col: 25, message: /CustomType exports no class: export a class that extends Element/, needsBundles: true },
  { app: 'broken/error-code-duplicate', code: 'ERROR_CODE_DUPLICATE', file: 'widgets/SecondType/e.json', line: 4, col: 25, message: /WIDGET_JAMMED \(owner "acme\/gadgets"\) is already declared differently by owner "acme\/widgets" in the module of widgets\.FirstType/, needsBundles: true },
  { app: 'broken/error-codes-invalid', code: 'ERROR_CODES_INVALID', file: 'widgets/CodedType/e.json', line: 4, col: 25, message: /errorCodes that the module of widgets\.CodedType exports hold something else at index 0: export an array of tables made with defineErrorCodes/, needsBundles: true },
  { app: 'broken/config-not-unique', code: 'CONFIG_NOT_UNIQUE', file: 'auths/loginTypes/loginA/loginA.json', line: 6, col: 15, message: /corpId "ding5f1e0c2b9a7d4e3f8c6b1a0d2e4f6a8c" is also used by auths\.loginTypes\.loginB \(auths\/loginTypes\/loginB\/loginB\.json\)/ },
  { app: 'broken/reference-missing', code: 'REFERENCE_MISSING', file: 'corps/acme/acme.json', line: 2, col: 19, message: /authFullName names "auths\.loginTypes\.acmeLogn", but there is no such element: did you mean auths\.loginTypes\.acmeLogin\?/ },
  { app: 'broken/reference-wrong-type', code: 'REFERENCE_WRONG_TYPE', file: 'corps/acme/acme.json', line: 2, col: 19, message: /authFullName must name an Instance of auths\.loginTypes\.DDInnerType, but auths\.loginTypes\.DDInnerType\.DDInnerAuthModel is an Instance of models\.NormalType: name one of auths\.loginTypes\.acmeLogin/ },
  { app: 'broken/fullname-invalid', code: 'FULLNAME_INVALID', file: 'widgets/my-widget/e.json', line: 1, col: 1, message: /"my-widget" \(e\.g\. myWidget\) cannot be part of a fullName/ },
];

/** Codes shown by other fixtures: a consequence (DEFINITION_INVALID) and a warning (SECRET_LITERAL). */
export const OTHER_CASES: ProblemCase[] = [
  { app: 'invalid-type-chain', code: 'DEFINITION_INVALID', file: 'widgets/thing/e.json', line: 3, col: 11, message: /its type widgets\.BrokenType is invalid: fix that first \(widgets\/BrokenType\/e\.json:4:25 BUNDLE_MISSING/, alsoCauses: ['BUNDLE_MISSING'] },
  { app: 'broken/login-carries-sync', code: 'CONFIG_DEPRECATED', file: 'auths/loginTypes/acmeLogin/acmeLogin.json', line: 8, col: 3, message: /"sync" belongs in a corp now .*jit create corps\.acmeLogin --type corps\.DDInnerType --auth auths\.loginTypes\.acmeLogin/, severity: 'warning' },
  { app: 'secret-literal', code: 'SECRET_LITERAL', file: 'auths/loginTypes/literalLogin/literalLogin.json', line: 4, col: 18, message: /write "\{\{LITERAL_LOGIN_APP_SECRET\}\}" instead/, severity: 'warning' },
];
