import { chooseLanguage, fromAcceptLanguage } from '../../runtime/i18n/language';

describe('page language', () => {
  test.each([
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['en-US,en;q=0.9', 'en'],
    ['en-US,en;q=0.9,zh-CN;q=0.8', 'en'],
    ['zh-TW', 'zh-CN'],
    ['fr-FR,zh;q=0.5,en;q=0.4', 'zh-CN'],
    ['fr-FR,en;q=0.5,zh;q=0.4', 'en'],
    ['en;q=0.1,zh-HK', 'zh-CN'],
    ['zh;q=0,en', 'en'],
    ['*', undefined],
    ['', undefined],
    ['de, ja', undefined],
  ])('Accept-Language %j -> %s', (header, expected) => {
    expect(fromAcceptLanguage(header)).toBe(expected);
  });

  test('?lang= wins and is to be remembered; the cookie next; then the header; then the app default', () => {
    expect(chooseLanguage({ query: 'en', cookie: 'zh-CN', acceptLanguage: 'zh-CN', defaultLanguage: 'zh-CN' })).toEqual({ language: 'en', chosen: true });
    expect(chooseLanguage({ query: 'xx', cookie: 'en', acceptLanguage: 'zh-CN', defaultLanguage: 'zh-CN' })).toEqual({ language: 'en', chosen: false });
    expect(chooseLanguage({ acceptLanguage: 'en-GB', defaultLanguage: 'zh-CN' })).toEqual({ language: 'en', chosen: false });
    expect(chooseLanguage({ acceptLanguage: 'de', defaultLanguage: 'en' })).toEqual({ language: 'en', chosen: false });
    expect(chooseLanguage({ defaultLanguage: 'zh-CN' })).toEqual({ language: 'zh-CN', chosen: false });
  });
});
