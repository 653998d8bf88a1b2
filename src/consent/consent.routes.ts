/** The consent text a kiosk shows, by version and language, with the hash it will be recorded under. */
import { Type } from 'typebox';
import type { App, RouteRegistrar } from '../http/app.ts';
import { DomainError } from '../errors/errors.ts';
import { consentText, currentConsentVersion } from './consent.ts';

export function consentRoutes(): RouteRegistrar {
  return (app: App) => {
    app.get('/v1/consent-texts/current', {
      schema: {
        tags: ['registration'], summary: 'The biometric consent text to show, and its SHA-256',
        querystring: Type.Object({ locale: Type.Union([Type.Literal('zh-CN'), Type.Literal('en')], { default: 'zh-CN' }) }),
        response: { 200: Type.Object({ version: Type.String(), locale: Type.String(), title: Type.String(), body: Type.String(), sha256: Type.String() }) },
      },
    }, async (req) => {
      const text = consentText(currentConsentVersion, req.query.locale);
      if (!text) throw new DomainError('not_found');
      return text;
    });
  };
}
