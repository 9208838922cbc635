/** The export formats, apart from their renderers so that the command line can list them without loading exceljs. */
export const EXPORT_FORMATS = ['xlsx', 'csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
